import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@o11y/core';

/** What a set of files held before they were replaced, so the change can be undone. */
export interface FileBackup {
  readonly dir: string;
  /** Previous content by relative path; `undefined` where the file did not exist. */
  readonly previous: ReadonlyMap<string, string | undefined>;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Current content of `paths` under `dir` (undefined for missing files). */
export async function snapshotFiles(dir: string, paths: Iterable<string>): Promise<FileBackup> {
  const previous = new Map<string, string | undefined>();
  for (const relative of paths) previous.set(relative, await readIfExists(path.join(dir, relative)));
  return { dir, previous };
}

/**
 * Write `files` (each atomically: a reader sees the old or the new file, never half of one) and
 * remove `remove`. Returns the backup to restore with `restoreFiles`.
 */
export async function replaceFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
  remove: readonly string[] = [],
): Promise<FileBackup> {
  const backup = await snapshotFiles(dir, [...files.keys(), ...remove]);
  try {
    for (const [relative, content] of files) await writeFileAtomic(path.join(dir, relative), content);
    for (const relative of remove) await rm(path.join(dir, relative), { force: true });
  } catch (error) {
    await restoreFiles(backup);
    throw error;
  }
  return backup;
}

export async function restoreFiles(backup: FileBackup): Promise<void> {
  for (const [relative, content] of backup.previous) {
    const target = path.join(backup.dir, relative);
    if (content === undefined) await rm(target, { force: true });
    else await writeFileAtomic(target, content);
  }
}

/** Whether every file already holds the wanted content and every file to remove is gone. */
export function unchanged(
  backup: FileBackup,
  files: ReadonlyMap<string, string>,
  remove: readonly string[],
): boolean {
  for (const [relative, content] of files) if (backup.previous.get(relative) !== content) return false;
  return remove.every((relative) => backup.previous.get(relative) === undefined);
}
