import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.ts';

/**
 * `npm run e2e`: the harness's own unit tests, then the live stack (sample service, Prometheus,
 * Alertmanager, webhook sink on 127.0.0.1). One file at a time: the live stack needs both cores.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      root: import.meta.dirname,
      include: ['**/*.test.ts'],
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  }),
);
