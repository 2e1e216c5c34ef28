import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.ts';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 180_000,
      hookTimeout: 300_000,
      // One Chromium and one Prometheus at a time on a 2-core machine.
      fileParallelism: false,
    },
  }),
);
