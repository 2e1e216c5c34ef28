import { execFileSync } from 'node:child_process';

/** The commit being published: CI's GITHUB_SHA / CI_COMMIT_SHA, else `git rev-parse HEAD`, else undefined. */
export function currentCommit(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromCi = env.GITHUB_SHA ?? env.CI_COMMIT_SHA;
  if (fromCi) return fromCi;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The version-history message for everything o11y writes. */
export function publishMessage(commit: string | undefined): string {
  return commit ? `o11y publish ${commit}` : 'o11y publish (commit unknown)';
}
