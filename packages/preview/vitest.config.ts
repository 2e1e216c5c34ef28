import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // One Chromium and one Prometheus at a time on a 2-core machine.
    fileParallelism: false,
  },
});
