import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImportReport } from '../src/index.ts';
import { o11y } from './cli.ts';
import { FIXTURES, scratchOrganisation } from './scratch.ts';

const RULES = path.join(FIXTURES, 'rules');

describe('o11y import of rule files, ruler namespaces and PrometheusRule resources', () => {
  let org: Awaited<ReturnType<typeof scratchOrganisation>>;
  let report: ImportReport;
  let verifyMessage: string;

  beforeAll(async () => {
    org = await scratchOrganisation();
    const run = await o11y(org.root, 'import', RULES, '--verify', '--format', 'json');
    expect(run.stderr).toContain('every imported rule group builds to the same rules');
    expect(run.code).toBe(0);
    report = JSON.parse(run.stdout) as ImportReport;
    verifyMessage = run.stderr;
  }, 300_000);
  afterAll(() => org.remove());

  test('the mixin-shaped set, the hand-written set and the PrometheusRule round-trip through o11y build', () => {
    expect(verifyMessage).not.toContain('differences');
    expect(report.written).toEqual([
      'catalog/imported/billing-rules.ts',
      'catalog/imported/handwritten.ts',
      'catalog/imported/index.ts',
      'catalog/imported/mixin-rules.ts',
      'catalog/index.ts',
      'rules/billing-rules.ts',
      'rules/handwritten.ts',
      'rules/mixin-rules.ts',
    ]);
  });

  test('expressions go through the catalogue, thresholds become constants, records are selected like metrics', async () => {
    const billing = await readFile(path.join(org.root, 'rules/billing-rules.ts'), 'utf8');
    expect(billing).toContain('export const INVOICE_FAILURES_HIGH_THRESHOLD = 0.02;');
    expect(billing).toContain('expr: billingInvoicesFailedRatioRate10m.gt(INVOICE_FAILURES_HIGH_THRESHOLD)');
    expect(billing).toContain("sum(rate(invoicesTotal.select({ status: 'failed' }).range('10m')))");
    const handwritten = await readFile(path.join(org.root, 'rules/handwritten.ts'), 'utf8');
    // A metric the organisation's catalogue already declares is selected from it, not declared again.
    expect(handwritten).toMatch(
      /import \{[^}]*httpRequestDurationSeconds[^}]*\} from '\.\.\/catalog\/index\.ts'/,
    );
    expect(handwritten).toContain(
      "sum(rate(httpRequestDurationSeconds.bucket.range('5m'))).by('le', 'service')",
    );
    expect(report.expressions.typed).toBeGreaterThan(report.expressions.raw);
  });

  test('what the builders do not model is kept verbatim and reported with its reason', () => {
    const items = report.passthrough.map((p) => `${p.item}: ${p.reason}`);
    // severity "page" and no team: verbatimAlert keeps the labels as they were.
    expect(items).toContainEqual(
      expect.stringMatching(/^alert InstanceDown: not written with alert\(\): severity "page"/),
    );
    // `1 - x`: the typed layer has no number-on-the-left spelling.
    expect(items).toContainEqual(
      'alert HighMemoryUsage: expression: raw PromQL: a number on the left of an operator has no typed spelling',
    );
    // The organisation's http_requests_total has no `code` label: the catalogue refuses, the expression stays raw.
    expect(items).toContainEqual(
      expect.stringContaining(
        'alert HighErrorRate: expression: raw PromQL: metric http_requests_total has no label "code"',
      ),
    );
  });

  test('metric types are inferred, undecidable ones said in the report and in the declaration', async () => {
    const byName = new Map(report.inferred.map((t) => [t.metric, t]));
    expect(byName.get('invoices_total')).toMatchObject({
      type: 'counter',
      because: 'rate() is applied to it',
    });
    expect(byName.get('queue_depth')).toMatchObject({ type: 'gauge', because: 'deriv() is applied to it' });
    expect(byName.get('queue_processing_duration_seconds_bucket')?.undecided).toContain(
      'buckets are unknown',
    );
    expect(byName.get('db_pool_connections_max')?.undecided).toContain('assumed gauge');
    const catalog = await readFile(path.join(org.root, 'catalog/imported/handwritten.ts'), 'utf8');
    expect(catalog).toContain("export const dbPoolConnectionsMax = gauge('db_pool_connections_max'");
    expect(catalog).toContain('Type undecided (no function or name suffix decides between gauge and counter');
    const index = await readFile(path.join(org.root, 'catalog/index.ts'), 'utf8');
    expect(index).toContain("import { importedEntries } from './imported/index.ts';");
  });

  test('a second import of the same files writes nothing without --force', async () => {
    const before = await readFile(path.join(org.root, 'rules/handwritten.ts'), 'utf8');
    const run = await o11y(org.root, 'import', path.join(RULES, 'handwritten.yml'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('would overwrite rules/handwritten.ts');
    expect(await readFile(path.join(org.root, 'rules/handwritten.ts'), 'utf8')).toBe(before);
  }, 120_000);
});
