import { describe, expect, it } from 'vitest';
import { vectorMatching } from '../../../src/checks/promql/vector-matching.ts';
import { records, run } from '../../helpers.ts';

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
