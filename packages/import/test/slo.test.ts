import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImportReport } from '../src/index.ts';
import { o11y } from './cli.ts';
import { FIXTURES, REPO, scratchOrganisation } from './scratch.ts';

describe('o11y import of Sloth and OpenSLO specs', () => {
  let org: Awaited<ReturnType<typeof scratchOrganisation>>;
  let report: ImportReport;

  beforeAll(async () => {
    org = await scratchOrganisation();
    const run = await o11y(org.root, 'import', path.join(FIXTURES, 'slo'), '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    report = JSON.parse(run.stdout) as ImportReport;
    const built = await o11y(org.root, 'build', '--out', 'dist', '--fail-on', 'never');
    expect(built.code, `${built.stdout}\n${built.stderr}`).toBe(0);
  }, 300_000);
  afterAll(() => org.remove());

  test('each spec becomes a module building its SLOs from the kept spec, with test input per SLO', async () => {
    expect(report.written).toEqual([
      'rules/myservice.ts',
      'rules/platform.ts',
      'rules/search.ts',
      'rules/slos/myservice.sloth.yml',
      'rules/slos/platform.sloth.yml',
      'rules/slos/search.openslo.yml',
    ]);
    const platform = await readFile(path.join(org.root, 'rules/platform.ts'), 'utf8');
    expect(platform).toContain("importSloth('rules/slos/platform.sloth.yml'");
    expect(platform).toContain(
      "'downloads-availability': eventSeries({\n      metric: 'gateway_requests_total',\n      bad: { operation: 'download', status: '429' },\n      good: { operation: 'download', status: '404' },",
    );
    // Errors and total read different counters: no single pair of series feeds both, so no tests, reported.
    expect(report.passthrough).toContainEqual({
      module: 'rules/platform.ts',
      item: 'SLO replication-success: generated tests',
      reason:
        'none: its queries do not each read one counter selector of the same metric; give testInputs yourself',
    });
  });

  test('the generated promtool tests of the imported SLOs pass', async () => {
    const dir = path.join(org.root, 'dist/prometheus/tests/slo');
    const files = (await readdir(dir))
      .filter((f) => /^(myservice|storage-gateway|product-search)-/.test(f))
      .sort();
    expect(files).toEqual([
      'myservice-requests-availability.yml',
      'product-search-search-latency-ok.yml',
      'storage-gateway-downloads-availability.yml',
      'storage-gateway-uploads-availability.yml',
    ]);
    const promtool = path.join(REPO, '.tools/bin/promtool');
    const { stdout } = await promisify(execFile)(promtool, ['test', 'rules', ...files], { cwd: dir });
    expect(stdout).toContain('SUCCESS');
    expect(stdout).not.toContain('FAILED');
  }, 120_000);
});
