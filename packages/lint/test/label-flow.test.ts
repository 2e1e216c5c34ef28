import { init, parse } from '@o11y/promql';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelFlow } from '../src/analysis/label-flow.ts';
import { LintProject } from '../src/project.ts';
import { testCatalog } from './catalog.ts';
import { promtoolTest } from './helpers.ts';

/** Every label any case's series can carry, with the value it has in the input series below. */
const VALUES: Readonly<Record<string, string>> = {
  job: 'api',
  instance: 'api-0',
  method: 'GET',
  status: '500',
  route: '/checkout',
  le: '0.5',
  team: 'checkout',
  service: 'api',
  target: 'api/api-0',
  value: '1',
};

/** One expression per rule of the model; each must make exactly one alert fire. */
const CASES: Readonly<Record<string, string>> = {
  'on() keeps only its labels': 'http_requests_total > on (job, instance) up',
  'ignoring() drops its labels': 'http_requests_total > ignoring (method, status, route) up',
  'no modifier keeps the left side': 'http_requests_total / http_requests_total',
  'group_left copies from the one side':
    'http_requests_total * on (job, instance) group_left (team) label_replace(up, "team", "checkout", "", "")',
  'group_right copies from the one side':
    'label_replace(up, "team", "checkout", "", "") * on (job, instance) group_right (team) http_requests_total',
  'group_left deletes what the one side lacks':
    'http_requests_total * on (job, instance) group_left (route) up',
  'and keeps the left side': 'up and on (job) http_requests_total',
  'unless keeps the left side': 'http_requests_total unless on (job) up{job="none"}',
  'or of alike sides': 'http_requests_total{status="500"} or http_requests_total{status="404"}',
  'label_replace copies with $1': 'label_replace(up, "service", "$1", "job", "(.*)")',
  'label_replace of an empty value deletes': 'label_replace(http_requests_total, "route", "", "", "")',
  'label_join joins': 'label_join(up, "target", "/", "job", "instance")',
  'without drops': 'sum without (instance) (http_requests_total)',
  'by keeps': 'sum by (job, route) (http_requests_total)',
  'topk keeps all': 'topk by (job) (1, http_requests_total)',
  'count_values adds its label': 'count_values("value", up)',
  'functions keep the labels': 'rate(http_requests_total[5m])',
  'histogram_quantile drops le':
    'histogram_quantile(0.9, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))',
  'absent has its equality matchers': 'absent(nonexistent_total{job="api", instance=~"x.*"})',
  'vector has no labels': 'vector(1)',
};

const SERIES = [
  [
    'http_requests_total{job="api", instance="api-0", method="GET", status="500", route="/checkout"}',
    '0+60x20',
  ],
  ['up{job="api", instance="api-0"}', '1x20'],
  ...[
    ['0.1', 30],
    ['0.5', 50],
    ['1', 55],
    ['+Inf', 60],
  ].map(([le, rate]) => [
    `http_request_duration_seconds_bucket{job="api", instance="api-0", route="/checkout", le="${le}"}`,
    `0+${rate}x20`,
  ]),
];

let project: LintProject;

beforeAll(async () => {
  await init();
  project = new LintProject({ ruleGroups: [], dashboards: [], scrapeJobs: [] }, testCatalog);
});

describe('the label-flow model', () => {
  it('says for every label of every case what promtool renders in $labels', async () => {
    const names = Object.keys(CASES);
    const claims = names.map((name) => {
      const parsed = parse(CASES[name]!);
      if (!parsed.ok) throw new Error(`${name}: ${parsed.errors[0]?.message}`);
      return Object.fromEntries(
        Object.keys(VALUES).map((label) => [
          label,
          labelFlow(parsed.expr, label, (node) => project.shapes.shape(node)).presence,
        ]),
      );
    });
    // The model must be definite on every case, or the test proves nothing about it.
    expect(
      claims.flatMap((claim, i) =>
        Object.entries(claim)
          .filter(([, p]) => p === 'maybe')
          .map(([l]) => `${names[i]}: ${l}`),
      ),
    ).toEqual([]);

    const rules = {
      groups: [
        {
          name: 'label-flow',
          rules: names.map((name, i) => ({
            alert: `Case${i}`,
            expr: CASES[name],
            annotations: Object.fromEntries(Object.keys(VALUES).map((l) => [l, `{{ $labels.${l} }}`])),
          })),
        },
      ],
    };
    const tests = {
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: SERIES.map(([series, values]) => ({ series, values })),
          alert_rule_test: names.map((_name, i) => {
            const present = Object.keys(VALUES).filter((label) => claims[i]![label] === 'always');
            return {
              eval_time: '10m',
              alertname: `Case${i}`,
              exp_alerts: [
                {
                  exp_labels: {
                    alertname: `Case${i}`,
                    ...Object.fromEntries(present.map((l) => [l, VALUES[l]])),
                  },
                  exp_annotations: Object.fromEntries(
                    Object.keys(VALUES).map((l) => [l, present.includes(l) ? VALUES[l] : '']),
                  ),
                },
              ],
            };
          }),
        },
      ],
    };
    // promtool names each case (CaseN, in the order above) whose labels or annotations differ from the model.
    expect(await promtoolTest(rules, tests)).toContain('SUCCESS');
  }, 60_000);
});
