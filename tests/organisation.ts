import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from '@o11y/build';
import { afterAll } from 'vitest';

/** The organisation's root: the repository, whose o11y.config.ts declares where its definitions are. */
export const root = path.resolve(import.meta.dirname, '..');

const built: string[] = [];
afterAll(async () => {
  for (const dir of built) await rm(dir, { recursive: true, force: true });
});

/**
 * The organisation built as `o11y build` builds it, into a fresh folder outside the checkout (the
 * external verifiers skipped: `o11y test` and CI run them on dist/).
 */
export async function buildOrganisation(): Promise<string> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'o11y-organisation-'));
  built.push(out);
  return (await build({ root, out, verify: false, log: () => {} })).outDir;
}
