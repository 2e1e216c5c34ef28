import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this package lives in: its organisation is copied, never written to. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const COPIED = [
  'catalog',
  'rules',
  'dashboards',
  'alertmanager',
  'o11y.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'biome.json',
];
const LINKED = ['node_modules', 'packages', '.tools'];

/** A scratch copy of the sample organisation, with the checkout's packages and toolchain linked in. */
export async function scratchOrganisation(): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'o11y-import-'));
  for (const entry of COPIED) await cp(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  for (const entry of LINKED) await symlink(path.join(REPO, entry), path.join(root, entry));
  await writeFile(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'scratch-organisation', private: true, type: 'module', workspaces: [] }),
  );
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
