import { describe, expect, it } from 'vitest';
import { counterRaw } from '../../../src/checks/promql/counter-raw.ts';
import { alert, caret, recordItems, rules, run } from '../../helpers.ts';

describe('promql/counter-raw', () => {
  it('reports counters read by their absolute value, from the catalogue or by the _total suffix', async () => {
    const findings = await run(
      counterRaw,
      rules(
        alert('Errors', 'http_requests_total{status="500"} > 10') +
          alert(
            'Buckets',
            'histogram_quantile(0.9, sum by (le) (http_request_duration_seconds_bucket)) > 1',
          ) +
          alert('Unknown', 'sum(jobs_processed_total) - sum(jobs_processed_total offset 1h) < 0') +
          recordItems({ 'job:http_requests:top': 'topk(3, http_requests_total)' }),
      ),
    );
    expect(findings.map((f) => [f.message.split(',')[0], caret(f)])).toEqual([
      ['http_requests_total is a counter', 'http_requests_total{status="500"}'],
      ['http_request_duration_seconds_bucket is a counter', 'http_request_duration_seconds_bucket'],
      ['jobs_processed_total is a counter', 'jobs_processed_total'],
      ['jobs_processed_total is a counter', 'jobs_processed_total offset 1h'],
      ['http_requests_total is a counter', 'http_requests_total'],
    ]);
  });

  it('accepts counters under rate and the functions that read no value, and gauges', async () => {
    const findings = await run(
      counterRaw,
      rules(
        alert('Rate', 'sum by (job) (rate(http_requests_total[5m])) > 1') +
          alert('Restarts', 'increase(pod_restarts_total[1h]) > 3 or resets(jobs_processed_total[1h]) > 0') +
          alert('Stale', 'time() - timestamp(jobs_processed_total) > 600') +
          alert('Missing', 'absent(http_requests_total{job="api"}) or count(http_requests_total) == 0') +
          alert('Exists', 'up == 0 unless on (job) http_requests_total') +
          alert('Gauge', 'node_memory_available_bytes < 1e9') +
          alert(
            'Quantile',
            'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
          ),
      ),
    );
    expect(findings).toEqual([]);
  });
});
