import { defineCatalog, job, nativeHistogram } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { rateNonCounter } from '../../../src/checks/promql/rate-non-counter.ts';
import { records, run } from '../../helpers.ts';

describe('promql/rate-non-counter', () => {
  it('reports rate of a gauge', async () => {
    const findings = await run(
      rateNonCounter,
      records({ 'job:mem:rate5m': 'rate(node_memory_available_bytes[5m])' }),
    );
    expect(findings.map((f) => [f.id, f.message])).toEqual([
      ['promql/rate-non-counter', 'rate() of node_memory_available_bytes, which is a gauge'],
    ]);
    expect(findings[0]!.expression!.span).toEqual({ start: 0, end: 37 });
  });

  it('reports rate of a recorded rate', async () => {
    const findings = await run(
      rateNonCounter,
      records({
        'job:http_requests:rate5m': 'sum by (job) (rate(http_requests_total[5m]))',
        'job:http_requests:rate5m_rate': 'rate(job:http_requests:rate5m[5m])',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'rate() of job:http_requests:rate5m, which is the output of recording rule job:http_requests:rate5m, not a raw counter',
    ]);
  });

  it('accepts counters, histogram buckets and deriv of gauges', async () => {
    const findings = await run(
      rateNonCounter,
      records({
        'a:b:c': 'rate(http_requests_total[5m])',
        'a:b:d': 'increase(http_request_duration_seconds_bucket[5m])',
        'a:b:e': 'deriv(node_memory_available_bytes[5m])',
      }),
    );
    expect(findings).toEqual([]);
  });

  it('accepts rate of a native histogram, which is a counter histogram', async () => {
    const latency = nativeHistogram('rpc_duration_seconds', {
      help: 'RPC duration.',
      unit: 'seconds',
      jobs: [job('rpc', { scrapeInterval: '15s', instances: 2 })],
      labels: {},
    });
    const findings = await run(
      rateNonCounter,
      records({
        'job:rpc_duration_seconds:p99_rate5m': 'histogram_quantile(0.99, rate(rpc_duration_seconds[5m]))',
      }),
      { catalog: defineCatalog([latency]) },
    );
    expect(findings).toEqual([]);
  });
});
