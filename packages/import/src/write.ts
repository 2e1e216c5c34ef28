import { spawn } from 'node:child_process';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { O11yError } from '@o11y/core';

export interface PlannedFile {
  /** Relative to the organisation root, `/`-separated. */
  readonly path: string;
  readonly content: string;
  /** Files the import owns and regenerates (the catalogue's index of imported modules) may be replaced without --force. */
  readonly regenerated?: boolean;
}

const require = createRequire(import.meta.url);

/**
 * Formats TypeScript with the project's formatter (biome, with the organisation's biome.json),
 * imports sorted as `biome check` wants them.
 */
export async function formatWithBiome(root: string, file: string, content: string): Promise<string> {
  const biome = require.resolve('@biomejs/biome/bin/biome');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [biome, 'check', '--write', `--stdin-file-path=${file}`], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new O11yError(`biome cannot format the generated ${file}: ${stderr.trim().split('\n')[0]}`, {
            id: 'import/format',
            hint: 'this is a bug of o11y import: report it with the input file',
          }),
        );
    });
    child.stdin.end(content);
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The planned files that would overwrite an existing file the import does not own. */
export async function conflicts(root: string, files: readonly PlannedFile[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    if (!file.regenerated && (await exists(path.join(root, file.path)))) found.push(file.path);
  }
  return found;
}

/**
 * Writes every file or none, and returns how to undo it: each goes to a temporary sibling first; only when all are written are
 * they renamed into place, and a failed rename puts back what was there before.
 */
export async function writeAllOrNothing(
  root: string,
  files: readonly PlannedFile[],
): Promise<() => Promise<void>> {
  const staged: { target: string; temporary: string; previous?: string }[] = [];
  const suffix = `.o11y-import-${process.pid}`;
  const createdDirs: string[] = [];
  const removeCreatedDirs = async () => {
    for (const dir of createdDirs.sort().reverse()) await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const file of files) {
      const target = path.join(root, file.path);
      const created = await mkdir(path.dirname(target), { recursive: true });
      if (created) createdDirs.push(created);
      const temporary = `${target}${suffix}.new`;
      await writeFile(temporary, file.content);
      staged.push({ target, temporary });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temporary, { force: true })));
    await removeCreatedDirs();
    throw error;
  }
  const done: typeof staged = [];
  try {
    for (const entry of staged) {
      done.push(entry);
      if (await exists(entry.target)) {
        entry.previous = `${entry.target}${suffix}.old`;
        await rename(entry.target, entry.previous);
      }
      await rename(entry.temporary, entry.target);
    }
  } catch (error) {
    for (const entry of done.reverse()) {
      if (entry.previous && (await exists(entry.previous))) {
        await rm(entry.target, { force: true });
        await rename(entry.previous, entry.target);
      } else if (!entry.previous) await rm(entry.target, { force: true });
    }
    await Promise.all(staged.map((s) => rm(s.temporary, { force: true })));
    await removeCreatedDirs();
    throw error;
  }
  // Kept until undone or the process ends: what was there before, so `--verify` can put it back.
  const previous = new Map<string, string | undefined>();
  for (const entry of done) {
    previous.set(entry.target, entry.previous ? await readFile(entry.previous, 'utf8') : undefined);
    if (entry.previous) await rm(entry.previous, { force: true });
  }
  return async () => {
    for (const [target, content] of previous) {
      if (content === undefined) await rm(target, { force: true });
      else await writeFile(target, content);
    }
    await removeCreatedDirs();
  };
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
