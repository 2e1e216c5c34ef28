import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-formats-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const fixture = path.join(repoRoot, 'packages', 'build', 'test', 'fixture');

describe('one output switch', () => {
  it('o11y build: --format json (or its alias --json) prints the manifest; --timings times each stage', () => {
    const out = path.join(scratch, 'dist');
    const json = o11y(['build', '--no-verify', '--out', out, '--format', 'json', '--timings'], {
      cwd: fixture,
    });
    expect(json.status, json.stderr).toBe(0);
    const manifest = JSON.parse(json.stdout) as { artifacts: { estimatedSeries?: number }[] };
    expect(manifest.artifacts.some((a) => a.estimatedSeries === 10)).toBe(true);
    expect(json.stderr).toMatch(
      /^load \d+\.\d\ds {2}emit \d+\.\d\ds {2}verify \d+\.\d\ds {2}write \d+\.\d\ds$/m,
    );
    const alias = o11y(['build', '--no-verify', '--out', out, '--json'], { cwd: fixture });
    expect(alias.stdout).toBe(json.stdout);
    expect(alias.stderr).not.toMatch(/^load /m);
    const bad = o11y(['build', '--format', 'yaml'], { cwd: fixture });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be one of human, json');
  }, 120_000);

  it('takes the default format of a verb from o11y.config.ts', () => {
    const project = path.join(repoRoot, 'packages', 'cli', 'test', 'fixtures', 'json-by-default');
    const result = o11y(['build', '--out', path.join(scratch, 'empty')], { cwd: project });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ version: 1, profile: 'default', artifacts: [] });
    // o11y diff picks from the same map: JSON by the config, text when asked, a usage error otherwise.
    const dist = ['--base-dist', path.join(scratch, 'empty'), '--head-dist', path.join(scratch, 'empty')];
    const diff = o11y(['diff', ...dist], { cwd: project });
    expect(diff.status, diff.stderr).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ sections: expect.any(Array) });
    expect(o11y(['diff', ...dist, '--format', 'text'], { cwd: project }).stdout).toBe('No changes.\n');
    const bad = o11y(['diff', ...dist, '--format', 'yaml'], { cwd: project });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, markdown, json');
  }, 60_000);

  it('o11y test --format json: a JSON report per suite, then the totals', () => {
    const result = o11y(['test', '--format', 'json', '--run', 'no test is named like this']);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ passed: 0, failed: 0 });
    expect(lines.slice(0, -1).map((report) => report.suite)).toEqual(['promtool rule tests', 'alertmanager']);
  }, 120_000);
});
