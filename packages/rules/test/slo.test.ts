import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rate, re, sum, toPromQL } from '@o11y/catalog';
import { parseDuration } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  availability,
  defaultWindows,
  emitter,
  latency,
  plan,
  ratio,
  SLO_RECORDS,
  type Sli,
  type SloAlerting,
  slo,
  tester,
} from '../src/index.ts';
import { checkout, clusterRequests, deployedRequests, duration, requests } from './fixtures.ts';
import { build, context, root } from './helpers.ts';

describe('burn-rate windows', () => {
  it('are the SRE Workbook windows for 30 days', () => {
    expect(defaultWindows(30 * 86_400_000)).toEqual([
      { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
      { severity: 'page', long: '6h', short: '30m', factor: 6 },
      { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
      { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
    ]);
  });

  it('scale with the period so each pair still detects the same share of the budget', () => {
    expect(defaultWindows(28 * 86_400_000).map((w) => `${w.long}/${w.short}×${w.factor}`)).toEqual([
      '56m/4m40s×14.4',
      '5h36m/28m×6',
      '22h24m/1h52m×3',
      '2d19h12m/5h36m×1',
    ]);
    expect(defaultWindows(7 * 86_400_000).map((w) => `${w.long}/${w.short}`)).toEqual([
      '14m/1m10s',
      '1h24m/7m',
      '5h36m/28m',
      '16h48m/1h24m',
    ]);
  });

  it('carry thresholds as exact decimals and the share of budget they detect', () => {
    const s = checkout();
    expect(s.windows.map((w) => [w.threshold, w.budgetConsumed])).toEqual([
      [0.0144, 0.02],
      [0.006, 0.05],
      [0.003, 0.1],
      [0.001, 0.1],
    ]);
    expect(s.errorBudget).toBe(0.001);
  });
});

describe('generated rules', () => {
  it('record an error ratio per window and the period under stable names', () => {
    const s = checkout();
    expect(s.ratioWindows).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    const names = s.groups.flatMap((g) => g.rules.map((r) => `${g.name}: ${r.name}`));
    expect(names).toEqual([
      ...['5m', '30m', '1h', '2h', '6h'].map((w) => `slo-shop-checkout-sli: ${SLO_RECORDS.errorRatio(w)}`),
      'slo-shop-checkout-sli: slo:current_burn_rate:ratio',
      ...['1d', '3d', '30d'].map((w) => `slo-shop-checkout-sli-long: ${SLO_RECORDS.errorRatio(w)}`),
      'slo-shop-checkout-sli-long: slo:objective:ratio',
      'slo-shop-checkout-sli-long: slo:error_budget:ratio',
      'slo-shop-checkout-sli-long: slo:time_period:days',
      'slo-shop-checkout-sli-long: slo:period_burn_rate:ratio',
      'slo-shop-checkout-sli-long: slo:period_error_budget_remaining:ratio',
      'slo-shop-checkout-alerts: ShopCheckoutErrorBudgetBurn',
      'slo-shop-checkout-alerts: ShopCheckoutErrorBudgetBurn',
      'slo-shop-checkout-alerts: ShopCheckoutSLIAbsent',
    ]);
    expect(s.groups.find((g) => g.name.endsWith('-sli-long'))?.interval).toBe('5m');
  });

  it('guard against no traffic and uninitialised error series, and sum the whole period', () => {
    const s = checkout();
    const period = s.groups[1]!.rules.find((r) => r.name === SLO_RECORDS.errorRatio('30d'))!;
    expect(toPromQL(period.expr)).toBe(
      '(sum(rate(shop_requests_total{code=~"5..",route="/checkout"}[4w2d])) or sum(rate(shop_requests_total{route="/checkout"}[4w2d])) * 0) / (sum(rate(shop_requests_total{route="/checkout"}[4w2d])) > 0)',
    );
  });

  it('give SLO alerts the routing labels, and an absent alert whose `for` follows from the budget', () => {
    const s = checkout();
    expect(s.alerts.page?.labels).toEqual({
      service: 'shop',
      slo: 'checkout',
      slo_severity: 'page',
      severity: 'critical',
      team: 'web',
    });
    expect(s.alerts.ticket?.labels).toMatchObject({ slo_severity: 'ticket', severity: 'warning' });
    // A full outage crosses the 1h page threshold (0.0144) after 52s: the absent alert waits at least 2m.
    expect(s.alerts.absent?.for).toBe('2m');
    const loose = slo({
      service: { name: 'shop', team: 'web' },
      name: 'loose',
      objective: 0.95,
      sli: availability({ total: requests, errors: requests.select({ code: re('5..') }) }),
    });
    // 14.4 × 5% of an hour = 43.2 minutes.
    expect(loose.alerts.absent?.for).toBe('44m');
  });

  it('match the latency bucket under both spellings of its bound (Prometheus 3 writes 1 as "1.0")', () => {
    const s = slo({
      service: { name: 'shop', team: 'web' },
      name: 'latency',
      objective: 0.99,
      sli: latency({ histogram: duration, select: { route: '/checkout' }, threshold: 1 }),
    });
    expect(toPromQL(s.groups[0]!.rules[0]!.expr)).toContain('le=~"1\\\\.0|1"');
  });

  it('hold traffic-less burn alerts back with a minimum number of events', () => {
    const s = slo({
      service: { name: 'shop', team: 'web' },
      name: 'quiet',
      objective: 0.99,
      alerting: { minEvents: 500 },
      sli: availability({ total: requests, errors: requests.select({ code: re('5..') }) }),
    });
    expect(toPromQL(s.alerts.page!.expr)).toContain(
      'and on () sum(rate(shop_requests_total[1h])) * 3600 >= 500',
    );
  });

  it('expose typed references the SLO dashboard reads', () => {
    const s = checkout();
    expect(toPromQL(s.sli('1h'))).toBe('slo:sli_error:ratio_rate1h{service="shop",slo="checkout"}');
    expect(toPromQL(s.burnRate('6h'))).toBe(
      'slo:sli_error:ratio_rate6h{service="shop",slo="checkout"} / 0.001',
    );
    expect(toPromQL(s.errorBudgetRemaining)).toBe(
      'slo:period_error_budget_remaining:ratio{service="shop",slo="checkout"}',
    );
    expect(s.alertNames).toEqual({ burn: 'ShopCheckoutErrorBudgetBurn', absent: 'ShopCheckoutSLIAbsent' });
    expect(() => s.sli('2d')).toThrow(/records no error ratio over 2d/);
  });
});

describe('generated promtool tests', () => {
  it('cover fast burn, slow burn, healthy, no traffic and absent, and pass against the real promtool', async () => {
    const s = checkout();
    expect(s.tests?.tests.map((t) => t.name)).toEqual([
      'shop-checkout: fast burn at 28.8× the budget pages after 30m',
      'shop-checkout: slow burn at 4.5× the budget opens a ticket after 55m',
      'shop-checkout: healthy traffic fires nothing and records every window',
      'shop-checkout: no traffic fires nothing and records no NaN',
      'shop-checkout: a missing metric fires ShopCheckoutSLIAbsent after 2m',
    ]);
    const { dir, file } = await build([s]);
    const suite = parse(file('prometheus/tests/slo/shop-checkout.yml')) as {
      tests: Array<Record<string, unknown>>;
    };
    expect(suite.tests.every((t) => t.interval === '1m')).toBe(true);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    expect(report.summary).toEqual(['rule-test coverage: 17/17 rules (100%), 0 opted out with a reason']);
  }, 60_000);

  it('also prove SLIs counted from good events and from histogram buckets', async () => {
    const good = slo({
      service: { name: 'shop', team: 'web' },
      name: 'served',
      objective: 0.99,
      sli: availability({
        total: requests.select({ route: '/cart' }),
        good: requests.select({ route: '/cart', code: '200' }),
      }),
    });
    const fast = slo({
      service: { name: 'shop', team: 'web' },
      name: 'fast',
      objective: 0.95,
      grouping: ['route'],
      sli: latency({ histogram: duration, threshold: 0.5 }),
    });
    expect(fast.tests?.tests[0]?.input.map((i) => i.series)).toEqual([
      'shop_request_duration_seconds_count{route="/cart"}',
      'shop_request_duration_seconds_bucket{le="0.5",route="/cart"}',
    ]);
    const { dir } = await build([good, fast]);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    expect(report.cases).toHaveLength(10);
  }, 60_000);

  it('evaluate the rules once per shortest window and assert only where they are evaluated', async () => {
    const weekly = slo({
      service: { name: 'shop', team: 'web' },
      name: 'weekly',
      objective: 0.99,
      period: '7d',
      sli: availability({
        total: requests.select({ route: '/cart' }),
        errors: requests.select({ route: '/cart', code: re('5..') }),
      }),
    });
    const { dir, file } = await build([checkout(), weekly]);
    // 30 days: samples every minute, rules every 5m; 7 days: the shortest window is 1m10s, samples every 14s.
    for (const [id, sample, evaluation] of [
      ['shop-checkout', '1m', 300_000],
      ['shop-weekly', '14s', 70_000],
    ] as const) {
      const suite = parse(file(`prometheus/tests/slo/${id}.yml`)) as {
        evaluation_interval: string;
        tests: Array<{
          interval: string;
          alert_rule_test?: { eval_time: string }[];
          promql_expr_test?: { eval_time: string }[];
        }>;
      };
      expect(parseDuration(suite.evaluation_interval)).toBe(evaluation);
      expect(suite.tests.every((t) => t.interval === sample)).toBe(true);
      const times = suite.tests.flatMap((t) =>
        [...(t.alert_rule_test ?? []), ...(t.promql_expr_test ?? [])].map((check) => check.eval_time),
      );
      expect(times.length).toBeGreaterThan(10);
      expect(times.filter((time) => parseDuration(time) % evaluation !== 0)).toEqual([]);
    }
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    expect(report.cases).toHaveLength(10);
  }, 60_000);
});

/** The labels of every alert a promtool test file's case expects to fire. */
function expectedAlerts(testFile: string, name: string | undefined): object[] | undefined {
  const suite = parse(testFile) as {
    tests: Array<{ name: string; alert_rule_test: Array<{ exp_alerts: Array<{ exp_labels: object }> }> }>;
  };
  return suite.tests
    .find((t) => t.name === name)
    ?.alert_rule_test.flatMap((a) => a.exp_alerts.map((e) => e.exp_labels));
}

/** An availability SLO that counts how many times its generated tests' input is made. */
function countedSlo() {
  let made = 0;
  const sli = availability({
    total: requests.select({ route: '/cart' }),
    errors: requests.select({ route: '/cart', code: re('5..') }),
  });
  const counted = slo({
    service: { name: 'shop', team: 'web' },
    name: 'counted',
    objective: 0.99,
    sli: {
      ...sli,
      testInput: (...args) => {
        made++;
        return sli.testInput!(...args);
      },
    },
  });
  return { counted, made: () => made };
}

describe('generated tests of an SLO', () => {
  const sloOf = (sli: Sli) =>
    slo({ service: { name: 'shop', team: 'web' }, name: 'counted', objective: 0.99, sli });

  it('are made when the build writes them, never for readers of the rules (lint, verify)', async () => {
    let made = 0;
    const counted = sloOf(
      ratio({
        errors: (w) => sum(rate(requests.select({ route: '/cart', code: re('5..') }).range(w as '5m'))),
        total: (w) => sum(rate(requests.select({ route: '/cart' }).range(w as '5m'))),
        testInput: () => {
          made++;
          throw new Error('the scenarios were simulated');
        },
      }),
    );
    const model = await emitter.model?.([counted], context([counted]));
    expect(model?.ruleGroups).toHaveLength(3);
    expect(made).toBe(0);
    expect(() => [...emitter.emit([counted], context([counted]))]).toThrow('the scenarios were simulated');
    expect(made).toBe(1);
  });

  it('are made once by a build that writes them: they are not kept, so nothing reads them twice', async () => {
    const { counted, made } = countedSlo();
    const artifacts = [...emitter.emit([counted], context([counted]))];
    expect(artifacts.filter((a) => a.kind === 'promtool-tests')).toHaveLength(1);
    expect(made()).toBe(1);
  });
});

describe('SLOs per environment', () => {
  const perEnvironment = (alerting: SloAlerting) =>
    slo({
      service: { name: 'shop', team: 'web' },
      name: 'deployed',
      objective: 0.999,
      grouping: ['environment'],
      sli: availability({
        total: deployedRequests.select({}),
        errors: deployedRequests.select({ code: '500' }),
      }),
      alerting,
    });
  const pageProductionTicketStaging = {
    page: { where: { environment: ['production'] } },
    ticket: { where: { environment: ['production', 'staging'] } },
  };

  it('page for production only, open tickets for production and staging, and alert nothing else', () => {
    const s = perEnvironment(pageProductionTicketStaging);
    expect(toPromQL(s.alerts.page!.expr)).toContain('environment="production"');
    expect(toPromQL(s.alerts.ticket!.expr)).toContain('environment=~"production|staging"');
    expect(toPromQL(s.alerts.page!.expr)).not.toContain('staging');
  });

  it('prove with promtool that a staging burst fires only staging alerts and leaves production as it was', async () => {
    const s = perEnvironment(pageProductionTicketStaging);
    const isolation = s.tests?.tests.find((t) => t.name.includes('burst where'));
    expect(isolation?.name).toBe(
      'shop-deployed: a 20× burst where environment="staging" alerts only there, and leaves the burn rates and budget of environment="production" as they were',
    );
    const { dir, file } = await build([s]);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    const caseName = `tests/slo/shop-deployed.yml: ${isolation?.name}`;
    expect(report.cases.map((c) => c.name)).toContain(caseName);
    // Staging's ticket fires at the end of the burst, with staging's labels; production is not listed.
    const expected = expectedAlerts(file('prometheus/tests/slo/shop-deployed.yml'), isolation?.name);
    expect(expected).toEqual([expect.objectContaining({ environment: 'staging', slo_severity: 'ticket' })]);

    // The same tests against rules that sum the environments together, as before dimensions: they fail.
    const rulesFile = path.join(dir, 'prometheus/rules/slo/shop-deployed.yml');
    const summed = file('prometheus/rules/slo/shop-deployed.yml').replaceAll(
      'sum by (environment) (',
      'sum(',
    );
    expect(summed).not.toBe(file('prometheus/rules/slo/shop-deployed.yml'));
    await writeFile(rulesFile, summed);
    const broken = await tester.run(dir, { root, log: () => {} });
    expect(broken.cases.filter((c) => !c.passed).map((c) => c.name)).toContain(caseName);
  }, 120_000);

  it('keep two clusters apart the same way: a burst in one pages for that cluster only (real promtool)', async () => {
    const s = slo({
      service: { name: 'shop', team: 'web' },
      name: 'clustered',
      objective: 0.999,
      grouping: ['cluster'],
      sli: availability({
        total: clusterRequests.select({}),
        errors: clusterRequests.select({ code: '500' }),
      }),
      alerting: { page: { where: { cluster: ['eu-1', 'us-1'] } } },
    });
    const name =
      'shop-clustered: a 20× burst where cluster="us-1" alerts only there, and leaves the burn rates and budget of cluster="eu-1" as they were';
    expect(s.tests?.tests.map((t) => t.name)).toContain(name);
    const { dir, file } = await build([s]);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    const expected = expectedAlerts(file('prometheus/tests/slo/shop-clustered.yml'), name);
    // us-1 pages (and, its ticket having no where, opens a ticket); eu-1 is in no expected alert.
    expect(expected).toContainEqual(expect.objectContaining({ cluster: 'us-1', slo_severity: 'page' }));
    expect(expected?.every((labels) => (labels as { cluster: string }).cluster === 'us-1')).toBe(true);
  }, 120_000);

  it('refuse to limit alerts to values of a label the SLO is not grouped by', () => {
    expect(() =>
      slo({
        service: { name: 'shop', team: 'web' },
        name: 'deployed',
        objective: 0.999,
        sli: availability({
          total: deployedRequests.select({}),
          errors: deployedRequests.select({ code: '500' }),
        }),
        alerting: { page: { where: { environment: ['production'] } } },
      }),
    ).toThrow(/limited to values of "environment", which the SLO is not grouped by/);
  });
});

describe("an SLO's generated tests in the build's plan", () => {
  it('are made when their file is written, not when the plan is made, at the file the suite names', () => {
    const { counted, made } = countedSlo();
    const [planned, ...others] = plan([counted]).tests;
    expect(others).toEqual([]);
    expect(made()).toBe(0);
    // The plan keeps how to make the suite: each call makes it anew, and nothing keeps it.
    const suite = planned!.suite();
    expect(made()).toBe(1);
    expect(planned!.suite()).not.toBe(suite);
    expect({ file: planned!.file, source: planned!.source, of: planned!.of }).toEqual({
      file: suite.file,
      source: suite.source,
      of: counted,
    });
  });

  it('are not planned in a time-compressed profile, nor for readers of the rules only', () => {
    const served = checkout();
    expect(plan([served], 'test').tests).toEqual([]);
    expect(plan([served], 'default', { tests: false }).tests).toEqual([]);
  });

  it('clash with another suite written to the same file', () => {
    const served = checkout();
    const file = plan([served]).tests[0]!.file;
    const other = {
      ...plan([served]).tests[0]!.suite(),
      source: { file: 'rules/other.ts', line: 3, column: 1 },
    };
    expect(() => plan([served, other])).toThrow(`two rule test suites write tests/${file}.yml`);
  });

  it('of an SLO another copy of the package made are planned from its suite', () => {
    const served = checkout();
    // Not made by this copy's slo(): what a second installed @o11y/rules hands over looks the same.
    const foreign = Object.freeze(
      Object.defineProperties({}, Object.getOwnPropertyDescriptors(served)),
    ) as typeof served;
    const [planned] = plan([foreign]).tests;
    expect(planned?.file).toBe(served.tests!.file);
    expect(planned?.suite().tests.length).toBeGreaterThan(0);
  });
});
