import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shortHash } from './hash.ts';

/**
 * The folder of o11y's cache named `kind` (`modules`, `typecheck`) for the project at `root`:
 * `.cache/o11y/<kind>/<hash of root>` in the nearest node_modules at or above the root, where the
 * project's packages resolve from, created if missing. One folder per root, since checkouts that link
 * one node_modules (`o11y diff`'s) share it; each folder records its root, and when a root first makes
 * its folder, the folders of roots that no longer exist (temporary checkouts) are removed. File-system
 * errors are thrown as they are.
 */
export function projectCacheDir(root: string, kind: string): string {
  let modules = path.join(root, 'node_modules');
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) {
      modules = path.join(dir, 'node_modules');
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  const shared = path.join(modules, '.cache', 'o11y', kind);
  const dir = path.join(shared, shortHash(root, 16));
  if (!existsSync(dir)) {
    removeAbandoned(shared);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'root'), root);
  }
  return dir;
}

/** Removes the folders under `shared` whose recorded root no longer exists. */
function removeAbandoned(shared: string): void {
  let entries: string[];
  try {
    entries = readdirSync(shared);
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = path.join(shared, entry);
    let root: string;
    try {
      root = readFileSync(path.join(dir, 'root'), 'utf8');
    } catch {
      continue;
    }
    if (!existsSync(root)) rmSync(dir, { recursive: true, force: true });
  }
}
