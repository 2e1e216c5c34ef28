import { describe, expect, it } from 'vitest';
import { rangeTooShort } from '../../../src/checks/promql/range-too-short.ts';
import { queries, records, run } from '../../helpers.ts';

describe('promql/range-too-short', () => {
  it('reports a range under twice the slowest scrape interval of the jobs read', async () => {
    // http_requests_total is scraped by api (15s) and web (30s): 45s < 2 × 30s.
    const findings = await run(rangeTooShort, records({ 'a:b:c': 'rate(http_requests_total[45s])' }));
    expect(findings.map((f) => f.message)).toEqual([
      'range [45s] is shorter than twice the scrape interval of job web (30s)',
    ]);
  });

  it('narrows the jobs with the job matcher', async () => {
    const findings = await run(
      rangeTooShort,
      records({ 'a:b:c': 'rate(http_requests_total{job="api"}[45s])' }),
    );
    expect(findings).toEqual([]);
  });

  it('uses the evaluation interval for recorded series', async () => {
    const files = records({
      'job:http:rate5m': 'sum by (job) (rate(http_requests_total[5m]))',
      'job:http:avg': 'avg_over_time(job:http:rate5m[90s])',
    });
    expect((await run(rangeTooShort, files)).map((f) => f.message)).toEqual([
      'range [1m30s] is shorter than twice the evaluation interval of group test (1m)',
    ]);
    const options = { checks: { 'promql/range-too-short': { options: { evaluationInterval: '30s' } } } };
    expect(await run(rangeTooShort, files, options)).toEqual([]);
  });

  it('leaves $__rate_interval to Grafana', async () => {
    expect(await run(rangeTooShort, queries('rate(http_requests_total[$__rate_interval])'))).toEqual([]);
  });
});
