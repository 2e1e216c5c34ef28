import { re } from '@o11y/catalog';
import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  availability,
  importOpenSlo,
  importSloth,
  parseOpenSlo,
  parseSloth,
  type Slo,
  slo,
  tester,
} from '../src/index.ts';
import { requests } from './fixtures.ts';
import { build, root } from './helpers.ts';

const FIXTURES = 'packages/rules/test/fixtures';
const sli = availability({
  total: requests.select({ route: '/checkout' }),
  errors: requests.select({ route: '/checkout', code: re('5..') }),
});
const testInput = sli.testInput!;
const typed = () =>
  slo({
    service: { name: 'shop', team: 'web' },
    name: 'checkout',
    objective: 0.999,
    sli,
    alerting: { labels: { category: 'availability' } },
  });

/** The promtool scenarios of an SLO: per test, its input and what each alert does when. */
async function scenarios(definition: Slo) {
  const { file } = await build([definition]);
  const suite = parse(file(`prometheus/tests/slo/${definition.id}.yml`)) as {
    tests: Array<{ name: string; input_series: unknown; alert_rule_test?: Array<Record<string, unknown>> }>;
  };
  return suite.tests.map((t) => ({
    name: t.name,
    input: t.input_series,
    alerts: (t.alert_rule_test ?? []).map((a) => ({
      at: a.eval_time,
      kind: String(a.alertname).endsWith('Absent') ? 'absent' : 'burn',
      firing: (a.exp_alerts as Array<{ exp_labels: Record<string, string> }>).map(
        (e) => e.exp_labels.slo_severity ?? 'absent',
      ),
    })),
  }));
}

describe('Sloth and OpenSLO imports', () => {
  it('turn a Sloth spec and an OpenSLO spec into the SLO the TypeScript defines', () => {
    const [fromSloth] = importSloth(`${FIXTURES}/checkout.sloth.yml`, { testInput });
    const [fromOpenSlo] = importOpenSlo(`${FIXTURES}/checkout.openslo.yml`, { testInput });
    const ts = typed();
    for (const imported of [fromSloth!, fromOpenSlo!]) {
      expect(imported.id).toBe(ts.id);
      expect(imported.objective).toBe(ts.objective);
      expect(imported.period).toBe(ts.period);
      expect(imported.windows).toEqual(ts.windows);
      expect(imported.alertNames).toEqual(ts.alertNames);
      expect(imported.source.file).toMatch(
        /^packages\/rules\/test\/fixtures\/checkout\.(sloth|openslo)\.yml$/,
      );
    }
    expect(fromSloth!.source.line).toBe(7);
    expect(fromSloth!.alerts.page?.labels).toEqual(ts.alerts.page?.labels);
  });

  it('generate alerts that fire in the same promtool scenarios as the TypeScript equivalent', async () => {
    const ts = typed();
    const [fromSloth] = importSloth(`${FIXTURES}/checkout.sloth.yml`, { testInput });
    const [fromOpenSlo] = importOpenSlo(`${FIXTURES}/checkout.openslo.yml`, { testInput });
    const expected = await scenarios(ts);
    expect(expected.map((s) => s.alerts.flatMap((a) => a.firing))).toEqual([
      ['page', 'ticket'],
      ['ticket'],
      [],
      [],
      ['absent'],
    ]);
    for (const imported of [fromSloth!, fromOpenSlo!]) {
      expect(await scenarios(imported)).toEqual(expected);
      const { dir } = await build([imported]);
      const report = await tester.run(dir, { root, log: () => {} });
      expect(report.cases.filter((c) => !c.passed)).toEqual([]);
      expect(report.cases).toHaveLength(5);
    }
  }, 60_000);

  it('report every problem of a spec at its YAML line', () => {
    let caught: unknown;
    try {
      importSloth(`${FIXTURES}/broken.sloth.yml`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(O11yErrors);
    const found = (caught as O11yErrors).diagnostics.map((d) => `${d.source?.line}: ${d.message}`);
    expect(found).toEqual([
      '17: slos.2.name: must match pattern "^[a-z0-9][a-z0-9_-]*$"',
      '24: slos.2.alerting.pager: unknown field',
    ]);
    expect((caught as O11yErrors).diagnostics[0]!.source?.file).toBe(`${FIXTURES}/broken.sloth.yml`);
  });

  it('reject an objective of 100% and ratio SLIs at their YAML lines', () => {
    const text = `version: prometheus/v1
service: shop
labels: { team: web }
slos:
  - name: checkout
    objective: 100
    sli:
      events: { error_query: 'sum(rate(e[{{.window}}]))', total_query: 'sum(rate(t[{{.window}}]))' }
  - name: search
    objective: 99.5
    sli:
      raw: { error_ratio_query: 'job:errors:ratio_rate{{.window}}' }
`;
    let caught: unknown;
    try {
      parseSloth(text, 'specs/shop.yml');
    } catch (error) {
      caught = error;
    }
    const diagnostics = (caught as O11yErrors).diagnostics;
    expect(diagnostics.map((d) => [d.id, `${d.source?.file}:${d.source?.line}`])).toEqual([
      ['slo/objective', 'specs/shop.yml:5'],
      ['import/sloth-sli', 'specs/shop.yml:12'],
    ]);
    expect(diagnostics[0]!.hint).toMatch(/no error budget/);
    expect(diagnostics[1]!.hint).toMatch(/without averaging ratios/);
  });

  it('reject OpenSLO features it cannot honour, at their YAML lines', () => {
    const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout
  labels: { team: web }
spec:
  service: shop
  indicator:
    metadata: { name: errors }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'e' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 't' } } }
  timeWindow:
    - duration: 1M
      isRolling: false
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
`;
    expect(() => parseOpenSlo(text, 'specs/shop.openslo.yml')).toThrow(
      /specs\/shop\.openslo\.yml:18:20 {2}SLO checkout: budgeting method Timeslices is not supported/,
    );
  });
});
