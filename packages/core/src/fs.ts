import { mkdirSync, writeFileSync } from 'node:fs';
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

/** A file of a tree: its path under the tree's directory and its content. */
export interface TreeFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/**
 * A function that writes files under `dir` as they come, making each folder once. It writes
 * synchronously: Node writes a string without first copying it into a Buffer, and the caller's text dies
 * young, before the next file is made. A large build's hundreds of megabytes of output, written by
 * fs/promises in batches, stayed on the heap as text and buffers until its next full collection.
 */
export function treeWriter(dir: string): (file: TreeFile) => void {
  const folders = new Set<string>();
  return (file) => {
    const target = path.join(dir, file.path);
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(target, file.content);
  };
}

/** Writes every file under `dir`, making the folders they need. */
export async function writeTree(dir: string, files: readonly TreeFile[]) {
  const write = treeWriter(dir);
  for (const file of files) write(file);
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
