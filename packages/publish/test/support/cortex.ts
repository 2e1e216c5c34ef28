import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@o11y/core';
import { afterAll, beforeAll } from 'vitest';
import { startCortex } from '../../src/testing/cortex.ts';

/** One real Cortex for the tests of a file, in a scratch directory, stopped and removed after them. */
export function useCortex(): () => RunningServer {
  let work: string | undefined;
  let cortex: RunningServer | undefined;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'o11y-cortex-'));
    cortex = await startCortex(work);
  }, 120_000);
  afterAll(async () => {
    await cortex?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return () => cortex!;
}
