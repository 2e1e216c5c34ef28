import { re, toPromQL } from '@o11y/catalog';
import { O11yError } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alert,
  availability,
  compressDuration,
  emitter,
  prometheusConfig,
  ruleGroup,
  SLO_RECORDS,
  scrapeJob,
  slo,
  TEST_PROFILE,
  tester,
  timeCompression,
} from '../src/index.ts';
import { checkout, queueDepth, requests, shopJob } from './fixtures.ts';
import { build, context, root } from './helpers.ts';

const HERE = 'packages/rules/test/profile.test.ts';

/** With a minimum of events, whose window the profile compresses too. */
const quietCheckout = () => checkout({ minEvents: 100 });

const backlog = () =>
  ruleGroup('shop', {
    interval: '30s',
    rules: [
      alert('QueueBacklog', {
        expr: queueDepth.gt(100),
        for: '10m',
        keepFiringFor: '4m40s',
        severity: 'warning',
        team: 'web',
        summary: 'The shop queue backs up',
        description: 'The queue on {{ $labels.instance }} holds more than 100 jobs.',
      }),
    ],
  });

const config = () =>
  prometheusConfig({
    scrapeInterval: '15s',
    evaluationInterval: '30s',
    jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
    alertmanagers: ['alertmanager:9093'],
  });

type RuleFile = { groups: Array<{ name: string; interval?: string; rules: Array<Record<string, unknown>> }> };

describe('the test profile compresses time', () => {
  const compression = timeCompression(TEST_PROFILE.name);

  it('by a documented factor, only in the test profile', () => {
    expect(compression).toEqual({ factor: 60, scrapeIntervalMs: 1000 });
    expect(timeCompression('default')).toBeUndefined();
    expect(['5m', '1h', '30d', '4m40s'].map((d) => compressDuration(d, compression))).toEqual([
      '5s',
      '1m',
      '12h',
      '4s667ms',
    ]);
    expect(compressDuration('5m', undefined)).toBe('5m');
  });

  it('evaluates SLO windows and the period over compressed ranges, under the same names and thresholds', async () => {
    const s = quietCheckout();
    const { file } = await build([s, backlog(), config()], TEST_PROFILE.name);
    const rules = parse(file('prometheus/rules/slo/shop-checkout.yml')) as RuleFile;
    const recorded = (name: string) =>
      rules.groups.flatMap((g) => g.rules).find((r) => r.record === name)!.expr as string;
    for (const window of s.ratioWindows) {
      const range = compressDuration(window, compression);
      expect(recorded(SLO_RECORDS.errorRatio(window))).toContain(`[${range}]`);
      expect(recorded(SLO_RECORDS.errorRatio(window))).not.toContain(`[${window}]`);
    }
    expect(recorded(SLO_RECORDS.errorRatio('30d'))).toContain('[12h]');
    // The page fires on the same thresholds; the minimum traffic counts the events of the compressed window.
    const [page] = rules.groups.find((g) => g.name === 'slo-shop-checkout-alerts')!.rules;
    expect(toPromQL(s.alerts.page!.expr)).toContain('[1h])) * 3600 >= 100');
    expect(page!.expr).toContain('sum(rate(shop_requests_total{route="/checkout"}[1m])) * 60 >= 100');
    expect(page!.expr).not.toContain('[1h]');
    expect(page!.expr).toContain('slo:sli_error:ratio_rate5m{service="shop",slo="checkout"} > 0.0144');
    // Absent after 2m of logical time; every group at the profile's global interval.
    const absent = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === s.alertNames.absent)!;
    expect(absent.for).toBe('2s');
    expect(rules.groups.every((g) => g.interval === undefined)).toBe(true);
  });

  it("compresses every alert's for and keep_firing_for, and scrapes every second", async () => {
    const { file } = await build([backlog(), config()], TEST_PROFILE.name);
    const rule = (parse(file('prometheus/rules/shop.yml')) as RuleFile).groups[0]!.rules[0]!;
    expect(rule).toMatchObject({ for: '10s', keep_firing_for: '4s667ms' });
    const yml = parse(file('prometheus/prometheus.yml'));
    expect(yml.global).toEqual({ scrape_interval: '1s', evaluation_interval: '1s' });
  });

  it('passes promtool check rules and leaves promtool tests to the default profile, which o11y test needs', async () => {
    const definitions = [quietCheckout(), backlog(), config()];
    const { dir, artifacts } = await build(definitions, TEST_PROFILE.name);
    expect(await emitter.verify!(artifacts, dir, context(definitions, TEST_PROFILE.name))).toEqual([]);
    expect(artifacts.filter((a) => a.kind === 'promtool-tests')).toEqual([]);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases).toEqual([
      expect.objectContaining({
        passed: false,
        failure: expect.objectContaining({
          id: 'promtool/profile',
          hint: expect.stringMatching(/o11y build/),
        }),
      }),
    ]);
    const real = await build(definitions);
    expect(real.artifacts.filter((a) => a.kind === 'promtool-tests').map((a) => a.path)).toEqual([
      'prometheus/tests/slo/shop-checkout.yml',
    ]);
  }, 60_000);

  it('applies the window checks to the compressed windows, at the SLO’s line', () => {
    // 1m/12m windows are fine at a 15s scrape interval; compressed to 1s/12s they fall below 2 × 1s.
    const tight = slo({
      service: { name: 'shop', team: 'web' },
      name: 'tight',
      objective: 0.99,
      sli: availability({ total: requests, errors: requests.select({ code: re('5..') }) }),
      alerting: { windows: [{ severity: 'page', long: '12m', short: '1m', factor: 10 }] },
    });
    let error: unknown;
    try {
      [...emitter.emit([tight], context([tight], TEST_PROFILE.name))];
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(O11yError);
    const o11y = error as O11yError;
    expect(o11y.id).toBe('slo/window-too-short');
    expect(o11y.message).toContain('time-compressed 60×');
    expect(o11y.message).toContain('window 1s is shorter than twice the scrape interval (1s)');
    expect(o11y.source?.file).toBe(HERE);
  });
});
