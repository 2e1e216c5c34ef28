import { describe, expect, it } from 'vitest';
import { histogramQuantileLe } from '../../../src/checks/promql/histogram-quantile-le.ts';
import { records, run } from '../../helpers.ts';

describe('promql/histogram-quantile-le', () => {
  it('reports an aggregation that drops le', async () => {
    const findings = await run(
      histogramQuantileLe,
      records({
        'job:latency:p99':
          'histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds_bucket[5m])))',
      }),
    );
    expect(findings.map((f) => f.id)).toEqual(['promql/histogram-quantile-le']);
    expect(findings[0]!.expression!.span.start).toBe(25);
  });

  it('accepts le kept in the grouping, and inputs whose labels are unknown', async () => {
    const findings = await run(
      histogramQuantileLe,
      records({
        'job:latency:p99':
          'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))',
        'job:other:p99': 'histogram_quantile(0.99, rate(not_in_catalogue_bucket[5m]))',
      }),
    );
    expect(findings).toEqual([]);
  });
});
