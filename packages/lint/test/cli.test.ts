import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { o11y as o11yIn } from './o11y.ts';

let root: string;
const rulesFile = [
  'groups:',
  '  - name: api',
  '    rules:',
  '      - record: job:memory:rate5m',
  '        expr: rate(node_memory_available_bytes[5m])',
  '      - alert: ApiDown',
  '        expr: up{job="api"} == 0',
  '        for: 5m',
  '        labels: {severity: critical, team: platform}',
  '        annotations: {summary: down, description: api is down, runbook_url: "https://r/x"}',
  '',
].join('\n');

const o11y = (...args: string[]) => o11yIn(root, 'lint', ...args);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'o11y-lint-cli-'));
  await writeFile(path.join(root, 'package.json'), '{"private": true, "workspaces": []}\n');
  await writeFile(path.join(root, 'rules.yml'), rulesFile);
  await writeFile(
    path.join(root, 'o11y.config.ts'),
    [
      `import { defineConfig } from '@o11y/lint';`,
      `import { testCatalog } from ${JSON.stringify(path.join(import.meta.dirname, 'catalog.ts'))};`,
      'export default defineConfig({',
      "  catalog: testCatalog, checks: { 'rules/unused-recording': 'off' },",
      "  suppressions: [{ check: 'rules/required-labels', rule: 'ProjectAlert', reason: 'about a rule of the project' }],",
      '});',
      '',
    ].join('\n'),
  );
  process.chdir(root);
  // The first call imports every verb of the CLI (and their dependencies); later calls reuse them.
  await o11yIn(root, '--help');
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('o11y lint on plain files', () => {
  it('prints findings with the file line and a caret, and exits 1 on errors', async () => {
    const { code, stdout } = await o11y('rules.yml', '--catalog');
    expect(code).toBe(1);
    expect(stdout).toContain(
      'rules.yml:5:15  error  rate() of node_memory_available_bytes, which is a gauge',
    );
    expect(stdout).toContain(
      '    | rate(node_memory_available_bytes[5m])\n    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    );
    expect(stdout).toContain('1 error, 0 warnings');
  }, 30_000);

  it('writes GitHub annotations, JSON and SARIF, and prints the cardinality table', async () => {
    expect((await o11y('rules.yml', '--catalog', '--format', 'github')).stdout).toContain(
      '::error file=rules.yml,line=5,col=15,title=promql/rate-non-counter::',
    );
    const json = JSON.parse(
      (await o11y('rules.yml', '--catalog', '--format', 'json', '--cardinality')).stdout,
    );
    expect(json.summary.errors).toBe(1);
    expect(json.cardinality.rules.map((r: { series: number }) => r.series)).toEqual([4, 3]);
    await o11y('rules.yml', '--format', 'sarif', '--output', 'lint.sarif');
    expect(JSON.parse(await readFile(path.join(root, 'lint.sarif'), 'utf8')).version).toBe('2.1.0');
    expect((await o11y('rules.yml', '--catalog', '--cardinality')).stdout).toContain(
      'Series added by recording rules: 4',
    );
  });

  it('checks files written elsewhere against the catalogue only with --catalog, or when they are the build', async () => {
    const foreign = [
      'groups:',
      '  - name: kubernetes',
      '    rules:',
      '      - alert: KubePodNotReady',
      '        expr: sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown"}) > 0',
      '        for: 15m',
      '        labels: {severity: warning, team: platform}',
      '        annotations: {summary: not ready, description: "{{ $labels.pod }}", runbook_url: "https://r/x"}',
      '',
    ].join('\n');
    await writeFile(path.join(root, 'kubernetes.yml'), foreign);
    const ids = async (...args: string[]) =>
      (
        JSON.parse((await o11y(...args, '--format', 'json')).stdout) as { findings: { id: string }[] }
      ).findings.map((f) => f.id);
    expect(await ids('kubernetes.yml')).toEqual([]);
    expect(await ids('kubernetes.yml', '--catalog')).toEqual(['promql/unknown-metric']);
    await mkdir(path.join(root, 'dist', 'prometheus'), { recursive: true });
    await writeFile(path.join(root, 'dist', 'prometheus', 'kubernetes.yml'), foreign);
    // The project's suppressions are about its own rules: only its whole build can leave one unused (a
    // part of it cannot tell whether the rest uses them).
    expect(await ids('dist/prometheus/kubernetes.yml')).toEqual(['promql/unknown-metric']);
    expect(await ids('dist')).toEqual(['promql/unknown-metric', 'lint/unused-suppression']);
    const help = await o11y('--help');
    expect(help.stdout + help.stderr).toContain(
      "not checked against the project's metric catalogue unless --catalog",
    );
  });

  it('accepts the PromQL features Prometheus enables, from the command line and o11y.config.ts', async () => {
    await writeFile(
      path.join(root, 'sorted.yml'),
      'groups:\n  - name: g\n    rules:\n      - record: job:up:sorted\n        expr: sort_by_label(sum by (job) (up), "job")\n',
    );
    const plain = await o11y('sorted.yml', '--format', 'json');
    expect(plain.code).toBe(1);
    // The parser's error, once, with its caret (rules/promtool-check leaves expressions to promql/syntax).
    expect(JSON.parse(plain.stdout).findings.map((f: { id: string; message: string }) => f.message)).toEqual([
      'function "sort_by_label" is not enabled',
    ]);
    expect((await o11y('sorted.yml', '--enable-feature', 'promql-experimental-functions')).code).toBe(0);
    const typo = await o11y('sorted.yml', '--enable-feature', 'promql-experimental-function');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown PromQL feature "promql-experimental-function"');
  });

  it('honours --fail-on and rejects bad usage', async () => {
    await writeFile(
      path.join(root, 'clean.yml'),
      'groups:\n  - name: g\n    rules:\n      - record: a:b:c\n        expr: sum(up)\n        labels: {x: y}\n',
    );
    expect((await o11y('clean.yml')).code).toBe(0);
    expect((await o11y('clean.yml', '--fail-on', 'warning')).code).toBe(0);
    expect((await o11y('rules.yml', '--fail-on', 'fatal')).code).toBe(2);
    expect((await o11y('rules.yml', '--format', 'xml')).code).toBe(2);
    const missing = await o11y('nowhere.yml');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('cannot read');
  });
});
