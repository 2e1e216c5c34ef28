import { counter, defineCatalog, label } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { estimateCardinality, formatCardinalityTable } from '../src/cardinality.ts';
import { lint } from '../src/lint.ts';
import { api, testCatalog, web } from './catalog.ts';
import { alert, modelOf, recordItems, records, rules } from './helpers.ts';

/** The estimate of each rule: the expressions recorded in one group (so outputs feed back), after `alerts`. */
async function estimates(exprs: Record<string, string>, alerts = '', catalog = testCatalog) {
  const { model } = modelOf(rules(alerts + recordItems(exprs)));
  const { project } = await lint(model, { config: { catalog }, checks: [] });
  const report = estimateCardinality(project);
  return Object.fromEntries(
    report.rules.map((e) => [e.target.kind === 'rule' ? e.target.rule.name : '', e.series]),
  );
}

describe('static cardinality estimates', () => {
  it('a cap per value bounds one service’s routes, however many services the catalogue lists', async () => {
    // 3 api targets × 4 services × 40 routes in all, but at most 10 routes per service.
    const perService = counter('service_requests_total', {
      help: 'Requests per service and route.',
      unit: 'requests',
      jobs: [api],
      labels: { service: label.values(['a', 'b', 'c', 'd']), route: label.cardinality(40) },
      jointCaps: [{ labels: ['route'], per: ['service'], max: 10 }],
    });
    const catalog = defineCatalog([perService]);
    expect(
      await estimates(
        {
          // 3 × 4 × 40 = 480, capped to 3 × (4 services × 10 routes) = 120
          'a:all:x': 'service_requests_total',
          // one service: 3 × 10 routes
          'a:one:x': 'service_requests_total{service="a"}',
          // its routes: 10, not the catalogue's 40
          'route:one:x': 'sum by (route) (rate(service_requests_total{service="a"}[5m]))',
          // two services: up to 20 routes
          'route:two:x': 'sum by (route) (rate(service_requests_total{service=~"a|b"}[5m]))',
        },
        '',
        catalog,
      ),
    ).toEqual({ 'a:all:x': 120, 'a:one:x': 30, 'route:one:x': 10, 'route:two:x': 20 });
  });

  it('a cap of one job per service counts the targets of one job, the largest, for one service', async () => {
    // api (3 targets) serves a, web (2 targets) serves b: each service's series come from its own job.
    const oneJobEach = defineCatalog([
      counter('service_requests_total', {
        help: 'Requests per service.',
        unit: 'requests',
        jobs: [api, web],
        labels: { service: label.values(['a', 'b']), status: label.values(['200', '500']) },
        jointCaps: [{ labels: ['job'], per: ['service'], max: 1 }],
      }),
    ]);
    const selectors = {
      // 5 targets × 2 statuses, however the services share them
      'a:all:x': 'service_requests_total',
      // one service: the 3 targets of the larger job × 2, not the 5 of both
      'a:one:x': 'service_requests_total{service="a"}',
      // a job named: its own targets
      'a:web:x': 'service_requests_total{service="b", job="web"}',
    };
    expect(await estimates(selectors, '', oneJobEach)).toEqual({ 'a:all:x': 10, 'a:one:x': 6, 'a:web:x': 4 });
  });

  it('selectors: the product of label counts after matchers, (job, instance) pairs counted once', async () => {
    expect(
      await estimates({
        // 5 targets (api 3 + web 2) × 2 methods × 3 statuses × 10 routes
        'a:all:x': 'http_requests_total',
        // 3 api targets × 2 × 3 × 10
        'a:api:x': 'http_requests_total{job="api"}',
        // 5 × 1 method × {404, 500} × 10
        'a:narrow:x': 'http_requests_total{method="GET", status=~"5..|404"}',
        // != removes a listed value: 5 × 2 × 2 × 10
        'a:ne:x': 'http_requests_total{status!="200"}',
        // an open-ended label with = counts 1: 5 × 2 × 3 × 1
        'a:route:x': 'http_requests_total{route="/orders"}',
        // 3 targets × 10 routes × 4 le values (0.1, 0.5, 1, +Inf)
        'a:bucket:x': 'http_request_duration_seconds_bucket',
        // le matcher over the listed bucket values: 3 × 10 × 2
        'a:le:x': 'http_request_duration_seconds_bucket{le=~"0.1|1.0"}',
        // no le on _count: 3 × 10
        'a:count:x': 'http_request_duration_seconds_count',
      }),
    ).toEqual({
      'a:all:x': 300,
      'a:api:x': 180,
      'a:narrow:x': 100,
      'a:ne:x': 200,
      'a:route:x': 30,
      'a:bucket:x': 120,
      'a:le:x': 60,
      'a:count:x': 30,
    });
  });

  it('aggregations keep or drop labels; joins take the many side; or adds; histogram_quantile divides by le', async () => {
    expect(
      await estimates({
        'job:by:x': 'sum by (job) (rate(http_requests_total[5m]))',
        'route:by:x': 'sum by (route) (rate(http_requests_total[5m]))',
        'a:without:x': 'sum without (instance) (rate(http_requests_total[5m]))',
        'a:sum:x': 'sum(rate(http_requests_total[5m]))',
        'a:topk:x': 'topk(3, sum by (route) (rate(http_requests_total[5m])))',
        'a:topk_by:x': 'topk by (job) (3, sum by (job, route) (rate(http_requests_total[5m])))',
        'a:quantile:x':
          'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))',
        'a:quantile_raw:x': 'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))',
        'a:join:x':
          'sum by (job, route) (rate(http_requests_total[5m])) / on (job) group_left sum by (job) (rate(http_requests_total[5m]))',
        'a:one_to_one:x': 'sum by (job) (rate(http_requests_total[5m])) / sum by (job) (up)',
        'a:or:x': 'http_requests_total or up',
        'a:and:x': 'http_requests_total and on (job) up',
        'a:scalar:x': 'http_requests_total * 2',
        'a:count_values:x': 'count_values("value", up)',
        'a:absent:x': 'absent(up{job="api"})',
        'a:vector:x': 'vector(1)',
        'a:label_replace:x': 'label_replace(up, "service", "$1", "job", "(.*)")',
      }),
    ).toEqual({
      'job:by:x': 2,
      'route:by:x': 10,
      // job 2 × method 2 × status 3 × route 10
      'a:without:x': 120,
      'a:sum:x': 1,
      'a:topk:x': 3,
      // 2 jobs × 3
      'a:topk_by:x': 6,
      // sum by (le, route): 4 × 10 = 40, divided by 4 le values
      'a:quantile:x': 10,
      // 120 bucket series / 4
      'a:quantile_raw:x': 30,
      // the many side: 2 × 10
      'a:join:x': 20,
      'a:one_to_one:x': 2,
      // 300 + 9 up series (api 3 + web 2 + node 4)
      'a:or:x': 309,
      'a:and:x': 300,
      'a:scalar:x': 300,
      'a:count_values:x': 9,
      'a:absent:x': 1,
      'a:vector:x': 1,
      'a:label_replace:x': 9,
    });
  });

  it("feeds recording rules' outputs back into the catalogue", async () => {
    expect(
      await estimates({
        'job_route:http_requests:rate5m': 'sum by (job, route) (rate(http_requests_total[5m]))',
        'a:api:x': 'job_route:http_requests:rate5m{job="api"}',
        'route:http_requests:rate5m': 'sum by (route) (job_route:http_requests:rate5m)',
        'a:unknown_job:x': 'job_route:http_requests:rate5m{job="node"}',
      }),
    ).toEqual({
      'job_route:http_requests:rate5m': 20,
      // job keeps its listed values through the aggregation: 1 × 10 routes
      'a:api:x': 10,
      'route:http_requests:rate5m': 10,
      // node never reaches the recorded series
      'a:unknown_job:x': 0,
    });
  });

  it("estimates ALERTS from the project's alerting rules, one part per alert", async () => {
    expect(
      await estimates(
        {
          'a:alerts:x': 'ALERTS',
          'a:one:x': 'ALERTS{alertname="JobBusy", alertstate="firing"}',
          'a:by:x': 'count by (alertname) (ALERTS_FOR_STATE)',
        },
        alert('JobBusy', 'sum by (job) (rate(http_requests_total[5m])) > 100') +
          alert('RouteBusy', 'sum by (route) (rate(http_requests_total[5m])) > 10'),
      ),
    ).toEqual({
      // 2 jobs (api, web) and 10 routes
      JobBusy: 2,
      RouteBusy: 10,
      'a:alerts:x': 12,
      // only JobBusy's part is selected
      'a:one:x': 2,
      'a:by:x': 2,
    });
  });

  it('totals groups and recorded series, marks unknown metrics incomplete, and prints the table', async () => {
    const { model } = modelOf(
      records({
        'job:http_requests:rate5m': 'sum by (job) (rate(http_requests_total[5m]))',
        'route:http_requests:rate5m': 'sum by (route) (rate(http_requests_total[5m]))',
        'job:unknown:rate5m': 'sum by (job) (rate(not_declared_total[5m]))',
      }),
    );
    const { project } = await lint(model, { config: { catalog: testCatalog }, checks: [] });
    const report = estimateCardinality(project);
    expect(report.groups.map((g) => [g.subject, g.series, g.complete])).toEqual([['group test', 13, false]]);
    expect(report.recordedTotal).toEqual({ series: 13, complete: false });
    expect(report.selectors.map((s) => [s.text, s.series])).toEqual([
      ['http_requests_total', 300],
      ['not_declared_total', 1],
    ]);
    const table = formatCardinalityTable(report);
    expect(table).toContain('    10  recording rule route:http_requests:rate5m (group test)  rules.yml:6');
    expect(table).toContain('   ≥13  group test');
    expect(table).toContain('Series added by recording rules: ≥13');
  });
});
