import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.ts';

// Most tests run the real CLI in a child process; on a busy 2-core machine one spawn takes seconds.
export default mergeConfig(base, defineConfig({ test: { testTimeout: 60_000 } }));
