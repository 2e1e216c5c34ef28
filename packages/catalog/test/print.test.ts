import { describe, expect, it } from 'vitest';
import {
  absent,
  avg,
  clampMin,
  countValues,
  formatNumber,
  histogramQuantile,
  labelJoin,
  num,
  predictLinear,
  quantile,
  quote,
  rate,
  raw,
  re,
  scalar,
  sum,
  time,
  toPromQL,
  topk,
  vector,
} from '../src/index.ts';
import { duration, memory, requests } from './fixture.ts';

describe('toPromQL', () => {
  it('prints selectors with sorted matchers, ranges and offsets', () => {
    const selector = requests.select({ status_code: re('5..'), method: 'GET', route: '/a"b\\c' });
    expect(toPromQL(selector)).toBe(
      'http_requests_total{method="GET",route="/a\\"b\\\\c",status_code=~"5.."}',
    );
    expect(String(selector.range('90m'))).toBe(
      'http_requests_total{method="GET",route="/a\\"b\\\\c",status_code=~"5.."}[1h30m]',
    );
    expect(String(memory.offset('1d').range('$__rate_interval'))).toBe(
      'process_resident_memory_bytes[$__rate_interval] offset 1d',
    );
    expect(String(memory)).toBe('process_resident_memory_bytes');
  });

  it('prints aggregations the way Prometheus does', () => {
    expect(String(sum(rate(requests.range('5m'))).by('service', 'route'))).toBe(
      'sum by (service, route) (rate(http_requests_total[5m]))',
    );
    expect(String(avg(memory).without('instance'))).toBe(
      'avg without (instance) (process_resident_memory_bytes)',
    );
    expect(String(sum(memory))).toBe('sum(process_resident_memory_bytes)');
    expect(String(topk(3, memory).by('job'))).toBe('topk by (job) (3, process_resident_memory_bytes)');
    expect(String(quantile(0.9, memory))).toBe('quantile(0.9, process_resident_memory_bytes)');
    expect(String(countValues('value', memory))).toBe('count_values("value", process_resident_memory_bytes)');
  });

  it('prints functions and scalars', () => {
    expect(String(histogramQuantile(0.95, sum(rate(duration.bucket.range('5m'))).by('le')))).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    );
    expect(String(predictLinear(memory.range('6h'), 4 * 3600))).toBe(
      'predict_linear(process_resident_memory_bytes[6h], 14400)',
    );
    expect(String(labelJoin(memory, 'where', '/', 'job', 'instance'))).toBe(
      'label_join(process_resident_memory_bytes, "where", "/", "job", "instance")',
    );
    expect(String(clampMin(memory, 0).or(vector(0)))).toBe(
      'clamp_min(process_resident_memory_bytes, 0) or vector(0)',
    );
    expect(String(absent(requests.select({ service: 'payments' })))).toBe(
      'absent(http_requests_total{service="payments"})',
    );
    expect(String(memory.gt(time()))).toBe('process_resident_memory_bytes > time()');
    expect(String(num(2).times(scalar(sum(memory))))).toBe('2 * scalar(sum(process_resident_memory_bytes))');
  });

  it('prints vector matching and bool modifiers', () => {
    const total = sum(rate(requests.range('5m'))).by('service', 'instance');
    const mem = avg(memory).by('instance');
    expect(String(total.div(mem).on('instance').groupLeft())).toBe(
      'sum by (service, instance) (rate(http_requests_total[5m])) / on (instance) group_left () avg by (instance) (process_resident_memory_bytes)',
    );
    expect(String(total.gt(mem).ignoring('service').bool())).toBe(
      'sum by (service, instance) (rate(http_requests_total[5m])) > bool ignoring (service) avg by (instance) (process_resident_memory_bytes)',
    );
    expect(String(memory.gt(1).bool())).toBe('process_resident_memory_bytes > bool 1');
    expect(String(memory.and(memory.offset('1h')).on('instance'))).toBe(
      'process_resident_memory_bytes and on (instance) process_resident_memory_bytes offset 1h',
    );
  });

  it('adds parentheses only where precedence needs them', () => {
    const a = memory;
    expect(String(a.plus(1).times(2))).toBe('(process_resident_memory_bytes + 1) * 2');
    expect(String(a.times(2).plus(1))).toBe('process_resident_memory_bytes * 2 + 1');
    expect(String(a.minus(a.minus(1)))).toBe(
      'process_resident_memory_bytes - (process_resident_memory_bytes - 1)',
    );
    expect(String(a.minus(1).minus(1))).toBe('process_resident_memory_bytes - 1 - 1');
    expect(String(a.pow(2).pow(3))).toBe('(process_resident_memory_bytes ^ 2) ^ 3');
    expect(String(a.pow(a.pow(3)))).toBe('process_resident_memory_bytes ^ process_resident_memory_bytes ^ 3');
    expect(String(a.minus(1).negate())).toBe('-(process_resident_memory_bytes - 1)');
    expect(String(a.pow(2).negate())).toBe('-process_resident_memory_bytes ^ 2');
    expect(String(a.gt(1).or(a.lt(0)).and(a))).toBe(
      '(process_resident_memory_bytes > 1 or process_resident_memory_bytes < 0) and process_resident_memory_bytes',
    );
    expect(String(a.plus(1).subquery('1h', '5m'))).toBe('(process_resident_memory_bytes + 1)[1h:5m]');
    expect(String(num(-2).pow(2))).toBe('(-2) ^ 2');
    expect(String(raw('a + b', { labels: [] }).times(2))).toBe('(a + b) * 2');
  });

  it('formats numbers and strings as PromQL literals', () => {
    expect([1e6, 1e21, 1e-7, -2.5e-7, 0.95, 300, Infinity, -Infinity, NaN].map(formatNumber)).toEqual([
      '1000000',
      '1000000000000000000000',
      '0.0000001',
      '-0.00000025',
      '0.95',
      '300',
      '+Inf',
      '-Inf',
      'NaN',
    ]);
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});
