import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { O11yError } from '@o11y/core';

const run = promisify(execFile);

async function git(root: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? String(error);
    throw new O11yError(`git ${args.join(' ')} failed: ${stderr}`, { id: 'diff/git' });
  }
}

export type BuildCommand = (cwd: string, outDir: string) => Promise<void>;

/**
 * `npm run o11y -- build --no-verify --out <dir>` in `cwd`: a diff needs the artifacts, not the type
 * check and the promtool/amtool verdicts, which the pull request's own build gives.
 */
export const npmBuild: BuildCommand = async (cwd, outDir) => {
  try {
    await run('npm', ['run', '--silent', 'o11y', '--', 'build', '--no-verify', '--out', outDir], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const output =
      `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`.trim();
    throw new O11yError(`building in ${cwd} failed:\n${output.slice(-4000)}`, { id: 'diff/build' });
  }
};

/**
 * Build `ref` in a temporary `git worktree` into `outDir`. The worktree borrows the main checkout's
 * node_modules (root and per package) and its pinned toolchain `.tools/` (git-ignored, but the build
 * verifies with promtool and amtool) through symlinks, so nothing is installed; it is removed after.
 */
export async function buildRef(
  root: string,
  ref: string,
  outDir: string,
  build: BuildCommand = npmBuild,
): Promise<void> {
  const commit = (await git(root, ['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  const parent = await mkdtemp(path.join(tmpdir(), 'o11y-diff-'));
  const worktree = path.join(parent, 'base');
  await git(root, ['worktree', 'add', '--detach', worktree, commit]);
  try {
    await symlink(path.join(root, 'node_modules'), path.join(worktree, 'node_modules'), 'dir');
    const tools = path.join(root, '.tools');
    if (existsSync(tools)) await symlink(tools, path.join(worktree, '.tools'), 'dir');
    for (const relative of (await git(root, ['ls-files', '--', 'packages/*/package.json']))
      .split('\n')
      .filter(Boolean)) {
      const modules = path.join(root, path.dirname(relative), 'node_modules');
      const target = path.join(worktree, path.dirname(relative), 'node_modules');
      if (existsSync(modules) && existsSync(path.dirname(target)) && !existsSync(target))
        await symlink(modules, target, 'dir');
    }
    await build(worktree, outDir);
  } finally {
    await git(root, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
  }
}
