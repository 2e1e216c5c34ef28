import { defineCatalog, defineDimensions } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { unknownLabel } from '../../../src/checks/promql/unknown-label.ts';
import { httpDuration, httpRequests, memoryAvailable, up } from '../../catalog.ts';
import { alert, queries, records, rules, run } from '../../helpers.ts';

/** The test catalogue with a `cluster` dimension set by `external_labels`. */
const clustered = defineCatalog([httpRequests, httpDuration, memoryAvailable, up], {
  dimensions: defineDimensions({ cluster: { source: 'external_labels' } }),
});

describe('promql/unknown-label', () => {
  it('reports matchers, groupings and on() labels the series do not have', async () => {
    const findings = await run(
      unknownLabel,
      records({
        'a:b:c': 'sum(rate(http_requests_total{handler="/x"}[5m]))',
        'a:b:d': 'sum by (service) (rate(http_requests_total[5m]))',
        'a:b:e': 'sum by (job) (up) / on (service) sum by (job) (up)',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'http_requests_total has no label "handler"',
      'the input of sum() has no label "service"',
      'either side of "/" has no label "service"',
    ]);
  });

  it('accepts declared, target and histogram labels', async () => {
    const findings = await run(
      unknownLabel,
      records({
        'a:b:c':
          'sum by (le, instance) (rate(http_request_duration_seconds_bucket{job="api", route="/"}[5m]))',
      }),
    );
    expect(findings).toEqual([]);
  });

  it("knows ALERTS' labels: the alert's output and rule labels, alertname and alertstate", async () => {
    const findings = await run(unknownLabel, {
      ...rules(alert('HighErrorRate', 'sum by (job) (rate(http_requests_total{status="500"}[5m])) > 1')),
      ...queries(
        'count by (alertname, job, severity, team) (ALERTS{alertstate="firing"})',
        'ALERTS{instance="a"}',
        'ALERTS_FOR_STATE{alertstate="firing"}',
      ),
    });
    expect(findings.map((f) => f.message)).toEqual([
      'ALERTS has no label "instance"',
      'ALERTS_FOR_STATE has no label "alertstate"',
    ]);
  });

  it('accepts the external_labels dimensions in dashboard queries only: the central store has them, rules do not', async () => {
    const files = {
      ...records({ 'a:b:c': 'sum(rate(http_requests_total{cluster="eu"}[5m]))' }),
      ...queries('sum(rate(http_requests_total{cluster=~"$cluster"}[$__rate_interval]))'),
    };
    const findings = await run(unknownLabel, files, { catalog: clustered });
    // The one finding is the recording rule's: its Prometheus never sees the label.
    expect(findings.map((f) => [f.message, f.subject])).toEqual([
      ['http_requests_total has no label "cluster"', 'recording rule a:b:c (group test)'],
    ]);
    // Without the dimension, the dashboard's matcher is a typo like any other.
    expect(await run(unknownLabel, files)).toHaveLength(2);
  });
});
