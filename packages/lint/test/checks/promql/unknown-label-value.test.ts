import { describe, expect, it } from 'vitest';
import { unknownLabelValue } from '../../../src/checks/promql/unknown-label-value.ts';
import { queries, records, run } from '../../helpers.ts';

describe('promql/unknown-label-value', () => {
  it('reports values and regexes outside the listed values', async () => {
    const findings = await run(
      unknownLabelValue,
      records({
        'a:b:c': 'sum(rate(http_requests_total{method="get"}[5m]))',
        'a:b:d': 'sum(rate(http_requests_total{status=~"3.."}[5m]))',
        'a:b:e': 'sum(rate(http_request_duration_seconds_bucket{le="1"}[5m]))',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'method="get" matches none of the values of http_requests_total\'s method: GET, POST',
      'status=~"3.." matches none of the values of http_requests_total\'s status: 200, 404, 500',
      'le="1" matches none of the values of http_request_duration_seconds_bucket\'s le: 0.1, 0.5, 1.0, +Inf',
    ]);
  });

  it('accepts listed values, open-ended labels and Grafana variables', async () => {
    const findings = await run(unknownLabelValue, {
      ...records({
        'a:b:c': 'sum(rate(http_requests_total{method="GET", status!~"2..", route="/anything"}[5m]))',
      }),
      ...queries('sum(rate(http_requests_total{method=~"$method"}[$__rate_interval]))'),
    });
    expect(findings).toEqual([]);
  });
});
