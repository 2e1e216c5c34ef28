import { describe, expect, it } from 'vitest';
import { rateInterval } from '../../../src/checks/dashboard/rate-interval.ts';
import { queries, records, run } from '../../helpers.ts';

describe('dashboard/rate-interval', () => {
  it('reports fixed ranges and $__interval in dashboard rates', async () => {
    const findings = await run(
      rateInterval,
      queries('sum(rate(http_requests_total[5m]))', 'sum(increase(http_requests_total[$__interval]))'),
    );
    expect(findings.map((f) => [f.message, f.expression?.span])).toEqual([
      ['rate() over [5m] instead of [$__rate_interval]', { start: 9, end: 32 }],
      ['increase() over [$__interval] instead of [$__rate_interval]', { start: 13, end: 45 }],
    ]);
  });

  it('accepts $__rate_interval, and leaves rules alone', async () => {
    expect(await run(rateInterval, queries('sum(rate(http_requests_total[$__rate_interval]))'))).toEqual([]);
    expect(await run(rateInterval, records({ 'a:b:c': 'sum(rate(http_requests_total[5m]))' }))).toEqual([]);
  });
});
