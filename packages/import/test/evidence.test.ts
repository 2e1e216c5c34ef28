import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evidenceFromExposition, planImport } from '../src/index.ts';
import { FIXTURES, scratchOrganisation } from './scratch.ts';

let org: Awaited<ReturnType<typeof scratchOrganisation>>;
beforeAll(async () => {
  org = await scratchOrganisation();
});
afterAll(() => org.remove());

test('an exposition confirms a histogram with its buckets and corrects an inferred type', async () => {
  const exposition = await readFile(path.join(FIXTURES, 'queue-worker.prom'), 'utf8');
  const plan = await planImport({
    root: org.root,
    inputs: [path.join(FIXTURES, 'rules/mixin-rules.yaml')],
    evidence: async () => evidenceFromExposition(exposition),
  });
  const byName = new Map(plan.report.inferred.map((t) => [t.metric, t]));
  expect(byName.get('queue_processing_duration_seconds')).toMatchObject({
    type: 'histogram',
    because: 'the exposition says histogram',
  });
  // deriv() suggested a gauge; the exposition says counter, and the report keeps both.
  expect(byName.get('queue_depth')).toMatchObject({
    type: 'counter',
    corrected: 'gauge (deriv() is applied to it)',
  });
  const catalog = plan.files.find((f) => f.path === 'catalog/imported/mixin-rules.ts')!.content;
  expect(catalog).toContain("histogram('queue_processing_duration_seconds'");
  expect(catalog).toContain('buckets: [0.1, 0.5, 2.5]');
  expect(catalog).toContain("help: 'Time spent processing one message.'");
  // Measured: two namespaces of queue_depth.
  expect(catalog).toMatch(/queue_depth[\s\S]*namespace: label\.cardinality\(2\)/);
  const rules = plan.files.find((f) => f.path === 'rules/mixin-rules.ts')!.content;
  expect(rules).toContain('queueProcessingDurationSeconds.bucket.select(');
}, 120_000);

test('a ruler namespace file: group fields other rulers add are reported as not kept', async () => {
  const plan = await planImport({ root: org.root, inputs: [path.join(FIXTURES, 'ruler')] });
  expect(plan.files.map((f) => f.path)).toContain('rules/payments.ts');
  expect(plan.report.lost).toContainEqual({
    input: expect.stringContaining('payments-namespace.yaml'),
    what: 'group payments.rules: source_tenants: ["payments-eu","payments-us"] (not a field of Prometheus rule groups)',
  });
  expect(plan.ruleOutputs[0]!.built).toBe('prometheus/rules/payments.yml');
}, 120_000);

test('invalid PromQL stops the import with the input file and line', async () => {
  const bad = path.join(org.root, 'bad.yml');
  await import('node:fs/promises').then((fs) =>
    fs.writeFile(bad, 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(rate(y[5m])\n'),
  );
  await expect(planImport({ root: org.root, inputs: [bad] })).rejects.toThrow(
    /^bad\.yml:4: invalid PromQL in x/,
  );
}, 60_000);
