import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.base.ts';

/**
 * The organisation's own tests (`npm test` runs them after the package suites): its catalogue against
 * real instrumentation, its rules, dashboards and routing as built, and the check that the library
 * packages know nothing of it. One file at a time: builds and the pinned tools want both cores.
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
