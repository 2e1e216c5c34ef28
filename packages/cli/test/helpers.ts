import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@o11y/core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'o11y.mjs');

/** Runs the real CLI in a child process, the way a user or CI does. */
export function o11y(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** path → sha256 of every file below dir. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = sha256(readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

/**
 * A git clone of the checkout (its committed state) with one commit on top that replaces `before`,
 * which must occur exactly once, by `after` in `file`. The clone borrows the checkout's node_modules
 * and pinned tools, so its builds use the checkout's packages. `remove` deletes it.
 */
export function cloneWithChange(file: string, before: string, after: string, message: string) {
  const parent = mkdtempSync(path.join(tmpdir(), 'o11y-clone-'));
  const clone = path.join(parent, 'repo');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: clone, encoding: 'utf8', stdio: 'pipe' });
  execFileSync('git', ['clone', '--quiet', repoRoot, clone], { stdio: 'pipe' });
  for (const ignored of ['node_modules', '.tools'])
    symlinkSync(path.join(repoRoot, ignored), path.join(clone, ignored), 'dir');
  const source = readFileSync(path.join(clone, file), 'utf8');
  // The edit must hit exactly one place, or the test would prove something else.
  if (source.split(before).length !== 2)
    throw new Error(`${file} does not contain the text to change exactly once`);
  writeFileSync(path.join(clone, file), source.replace(before, after));
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '--quiet', '-am', message);
  return { clone, git, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** The progress lines `o11y diff` writes to stderr off a terminal: its three steps, each done. */
export const DIFF_PROGRESS =
  /^o11y diff: \[1\/3\] building HEAD~1: done in \d+\.\ds\no11y diff: \[2\/3\] building the working tree: done in \d+\.\ds\no11y diff: \[3\/3\] comparing, \d+ items changed: done in \d+\.\ds\n$/;
