import { describe, expect, it } from 'vitest';
import { vectorMatching } from '../../../src/checks/promql/vector-matching.ts';
import { promtoolTest, records, run } from '../../helpers.ts';

/** Sides of which one selects metrics nothing declares, and still provably never match. */
const UNMATCHABLE = {
  'a:unless:sum': 'jobs_total{job="batch"} unless sum(jobs_total)',
  'a:and:on': 'jobs_total{job="batch"} and on (job) sum by (queue) (queue_depth)',
};

describe('promql/vector-matching', () => {
  it('reports one-to-one matching between different label sets', async () => {
    const findings = await run(
      vectorMatching,
      records({
        'a:b:c':
          'sum by (job, method) (rate(http_requests_total[5m])) / sum by (job) (rate(http_requests_total[5m]))',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual(['"/" matches no series: only the left side has method']);
  });

  it('reports on() labels one side lacks and group_left labels the one side lacks', async () => {
    const findings = await run(
      vectorMatching,
      records({
        'a:b:c':
          'sum by (job, method) (rate(http_requests_total[5m])) / on (method) sum by (job) (rate(http_requests_total[5m]))',
        'a:b:d':
          'sum by (job, method) (rate(http_requests_total[5m])) * on (job) group_left (route) sum by (job) (up)',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      '"/" matches no series: the right side has no method',
      '"*" matches no series: the "one" side has no route for group_left to copy',
    ]);
  });

  it('reports sides that never match even when a metric is unknown, by the labels they provably keep or drop', async () => {
    const findings = await run(
      vectorMatching,
      records({
        ...UNMATCHABLE,
        'a:maybe:x': 'jobs_total{job="batch"} / on (instance) sum by (instance) (queue_depth)',
        'a:both:x': 'jobs_total{job="batch"} and queue_depth{job="batch"}',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      '"unless" matches no series: only the left side has job',
      '"and" matches no series: only the left side has job',
    ]);
  });

  it('is right: promtool finds no match where it reports none', async () => {
    // unless removes nothing, and returns every left series; and keeps nothing.
    const rules = [
      { alert: 'Unless', expr: `count(${UNMATCHABLE['a:unless:sum']}) == 2` },
      { alert: 'And', expr: `absent(${UNMATCHABLE['a:and:on']})` },
    ];
    const output = await promtoolTest(
      { groups: [{ name: 'g', rules }] },
      {
        tests: [
          {
            interval: '1m',
            input_series: [
              { series: 'jobs_total{job="batch", instance="a"}', values: '1x5' },
              { series: 'jobs_total{job="batch", instance="b"}', values: '1x5' },
              { series: 'queue_depth{job="batch", queue="q"}', values: '1x5' },
            ],
            alert_rule_test: ['Unless', 'And'].map((alertname) => ({
              eval_time: '2m',
              alertname,
              exp_alerts: [{ exp_labels: {} }],
            })),
          },
        ],
      },
    );
    expect(output).toContain('SUCCESS');
  }, 60_000);

  it('accepts matching label sets, on() both sides share, and or', async () => {
    const findings = await run(
      vectorMatching,
      records({
        'a:b:c':
          'sum by (job, method) (rate(http_requests_total[5m])) / on (job) group_left sum by (job) (rate(http_requests_total[5m]))',
        'a:b:d': 'sum by (job) (rate(http_requests_total[5m])) / sum by (job) (up)',
        'a:b:e': 'sum by (job) (up) or vector(0)',
      }),
    );
    expect(findings).toEqual([]);
  });
});
