import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Write one file atomically: a temporary sibling, then rename over the target. `mode` applies from
 * the first byte (0o600 for secrets: the file is never readable by others, not even briefly).
 */
export async function writeFileAtomic(
  target: string,
  content: string | Uint8Array,
  options: { readonly mode?: number } = {},
): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(temporary, content, { mode: options.mode });
    if (options.mode !== undefined) await chmod(temporary, options.mode);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A fresh empty directory beside `target`, on the same file system so it can be renamed into place. */
export async function stagingDirFor(target: string): Promise<string> {
  const parent = path.dirname(path.resolve(target));
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, `.${path.basename(target)}.staging-`));
}

/** Files written at once: enough to keep libuv's four file-system threads busy. */
const WRITERS = 8;

/** Writes every file under `dir`, making the folders they need. */
export async function writeTree(
  dir: string,
  files: ReadonlyArray<{ path: string; content: string | Uint8Array }>,
) {
  // Each folder once, then the files a few at a time: one after the other, a large build's thousands
  // of files waited on the file system twice each.
  for (const folder of new Set(files.map((file) => path.dirname(path.join(dir, file.path)))))
    await mkdir(folder, { recursive: true });
  let next = 0;
  const writer = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await writeFile(path.join(dir, file.path), file.content);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITERS, files.length) }, writer));
}

/**
 * Replace `target` by the fully written `staging` directory. The old tree is moved aside first and
 * removed only after the new one is in place, so a failure at any point leaves a complete tree.
 */
export async function swapDirectory(staging: string, target: string): Promise<void> {
  const resolved = path.resolve(target);
  const previous = `${resolved}.previous-${process.pid}`;
  let hadPrevious = true;
  try {
    await rename(resolved, previous);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    hadPrevious = false;
  }
  try {
    await rename(staging, resolved);
  } catch (error) {
    if (hadPrevious) await rename(previous, resolved);
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}
