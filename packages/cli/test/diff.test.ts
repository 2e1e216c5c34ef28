import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTree } from '@o11y/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTree } from '../../publish/test/support/fixtures.ts';
import { o11y, repoRoot } from './helpers.ts';

/**
 * `o11y diff` in a throwaway git repository. Its `npm run o11y -- build --out <dir>` (the contract
 * `o11y diff` builds both sides with) copies a committed dist tree, so the test drives the real verb
 * (git worktree of the base, both builds, the diff engine, prettified queries, rendering) without
 * depending on the sample organisation's definitions.
 */
const VALID = 'sum(rate(http_requests_total{service="api"}[5m]))';
// Valid in a Grafana panel, but not PromQL until Grafana substitutes the variable: prettify rejects it.
const GRAFANA = 'sum(rate(http_requests_total{service="api"}[$__rate_interval]))';

let repo: string;

function writeDist(query: string): Promise<void> {
  const tree = fixtureTree([{ uid: 'api', title: 'API', dir: 'services', query }]);
  return writeTree(
    path.join(repo, 'tree'),
    [...tree.files].map(([file, content]) => ({ path: file, content })),
  );
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), 'o11y-diff-cli-'));
  writeFileSync(
    path.join(repo, 'package.json'),
    `${JSON.stringify({ private: true, workspaces: [], scripts: { o11y: 'node build.mjs' } }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(repo, 'build.mjs'),
    "import { cpSync } from 'node:fs';\ncpSync('tree', process.argv[process.argv.indexOf('--out') + 1], { recursive: true });\n",
  );
  // The CLI's packages resolve from the monorepo, as they do in a worktree o11y diff creates.
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
  await writeDist(VALID);
  git('init', '--quiet');
  git('add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '--quiet', '-m', 'base');
}, 60_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('o11y diff', () => {
  it('prints "No changes." with a final newline when the working tree builds the same', () => {
    const result = o11y(['diff'], { cwd: repo });
    // stderr carries only the progress, a line per step (not a terminal).
    expect(result.stderr.split('\n').filter((line) => !line.startsWith('o11y diff: ['))).toEqual(['']);
    expect(result.stdout).toBe('No changes.\n');
    expect(result.status).toBe(0);
  }, 120_000);

  it('shows a changed query the parser cannot prettify as written, and ends every format with a newline', async () => {
    await writeDist(GRAFANA);
    const text = o11y(['diff'], { cwd: repo });
    expect(text.stderr.split('\n').filter((line) => !line.startsWith('o11y diff: ['))).toEqual(['']);
    expect(text.stdout).toBe(
      [
        'Dashboards: 0 added, 0 removed, 1 changed',
        '  ~ API (api) [services]',
        '      panel "Request rate" query A changed',
        `        - ${VALID}`,
        `        + ${GRAFANA}`,
        '',
      ].join('\n'),
    );
    expect(text.status).toBe(0);

    const json = o11y(['diff', '--format', 'json', '--exit-code'], { cwd: repo });
    expect(json.status).toBe(1);
    expect(json.stdout.endsWith('}\n')).toBe(true);
    const report = JSON.parse(json.stdout) as {
      sections: { name: string; items: { changes: { after: string }[] }[] }[];
    };
    const dashboards = report.sections.find((section) => section.name === 'Dashboards')!;
    expect(dashboards.items.map((item) => item.changes.map((change) => change.after))).toEqual([[GRAFANA]]);

    const markdown = o11y(['diff', '--format', 'markdown'], { cwd: repo });
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain(GRAFANA);
    expect(markdown.stdout.endsWith('\n')).toBe(true);
    expect(markdown.stdout.endsWith('\n\n')).toBe(false);
  }, 240_000);

  it('exits 2 with the git error on its own line for a base that does not exist', () => {
    const result = o11y(['diff', '--base', 'no-such-ref'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('git rev-parse --verify no-such-ref^{commit} failed');
    expect(result.stderr.endsWith('\n')).toBe(true);
  }, 60_000);
});
