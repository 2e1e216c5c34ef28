import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  compareCodePoints,
  DIST,
  type Manifest,
  type ManifestEntry,
  O11yError,
  type SourceLocation,
} from '@o11y/core';

/**
 * A built `dist/` tree held in memory: every file by its path relative to `dist/` (with `/`), and the
 * manifest when there is one. The diff engine and the publishers work on this, never on the disk.
 */
export interface DistTree {
  readonly files: ReadonlyMap<string, string>;
  readonly manifest: Pick<Manifest, 'artifacts'> | undefined;
}

export async function readDistTree(dir: string): Promise<DistTree> {
  const files = new Map<string, string>();
  const walk = async (relative: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && relative === '') {
        throw new O11yError(`no build output at ${dir}`, {
          id: 'publish/no-dist',
          hint: 'run `npm run o11y -- build` first',
        });
      }
      throw error;
    }
    for (const entry of entries.sort((a, b) => compareCodePoints(a.name, b.name))) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.set(child, await readFile(path.join(dir, child), 'utf8'));
    }
  };
  await walk('');
  return treeFromFiles(files);
}

/** A tree from in-memory files (tests, or a build that has not been written out). */
export function treeFromFiles(files: ReadonlyMap<string, string> | Record<string, string>): DistTree {
  const map = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  const manifestText = map.get(DIST.manifest);
  let manifest: DistTree['manifest'];
  if (manifestText !== undefined) {
    try {
      const parsed = JSON.parse(manifestText) as Partial<Manifest>;
      manifest = { artifacts: Array.isArray(parsed.artifacts) ? parsed.artifacts : [] };
    } catch (error) {
      throw new O11yError(`dist/${DIST.manifest} is not valid JSON`, {
        id: 'publish/manifest',
        hint: 'rebuild with `npm run o11y -- build`',
        cause: error,
      });
    }
  }
  return { files: map, manifest };
}

/** The TypeScript line that defined an artifact, when the manifest knows it. */
export function sourceOf(tree: DistTree, artifactPath: string): SourceLocation | undefined {
  return tree.manifest?.artifacts.find((a) => a.path === artifactPath)?.source;
}

export function manifestEntry(tree: DistTree, artifactPath: string): ManifestEntry | undefined {
  return tree.manifest?.artifacts.find((a) => a.path === artifactPath);
}

/** Files under a directory of the tree, sorted, optionally filtered by extension. */
export function filesUnder(tree: DistTree, prefix: string, extensions: readonly string[]): string[] {
  const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return [...tree.files.keys()]
    .filter((p) => p.startsWith(dir) && extensions.some((ext) => p.endsWith(ext)))
    .sort(compareCodePoints);
}
