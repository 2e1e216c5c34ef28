import { describe, expect, it } from 'vitest';
import { rateOfAggregation } from '../../../src/checks/promql/rate-of-aggregation.ts';
import { records, run } from '../../helpers.ts';

describe('promql/rate-of-aggregation', () => {
  it('reports rate over a subquery of a sum', async () => {
    const findings = await run(
      rateOfAggregation,
      records({ 'job:x:rate5m': 'rate((sum(http_requests_total))[5m:1m])' }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'rate() of a sum() aggregation: counter resets of the inputs become spikes',
    ]);
  });

  it('accepts the sum of rates and subqueries of other expressions', async () => {
    const findings = await run(
      rateOfAggregation,
      records({
        'job:x:rate5m': 'sum(rate(http_requests_total[5m]))',
        'job:x:max': 'max_over_time(sum(rate(http_requests_total[5m]))[1h:5m])',
      }),
    );
    expect(findings).toEqual([]);
  });
});
