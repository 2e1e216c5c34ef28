import { O11yError, O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import {
  counter,
  defineCatalog,
  formatOpenMetricsFloat,
  gauge,
  histogram,
  job,
  label,
  service,
} from '../src/index.ts';
import { api, duration, fixtureCatalog, memory, queueLatency, requests, worker } from './fixture.ts';

const THIS_FILE = 'packages/catalog/test/metric.test.ts';

describe('declarations', () => {
  it('record what the catalogue knows, including target labels and where they were written', () => {
    const d = requests.declaration;
    expect(d.type).toBe('counter');
    expect(d.unit).toBe('requests');
    expect(d.labels.job).toEqual({ kind: 'values', values: ['api'] });
    expect(d.labels.instance).toEqual({ kind: 'cardinality', cardinality: 3 });
    expect(d.labels.route).toEqual({ kind: 'cardinality', cardinality: 40 });
    expect(d.jointCaps).toEqual([{ labels: ['service', 'route'], max: 50 }]);
    expect(d.source.file).toBe('packages/catalog/test/fixture.ts');
    expect(d.source.line).toBe(7);
    expect(memory.declaration.labels.instance).toEqual({ kind: 'cardinality', cardinality: 5 });
    expect(memory.declaration.labels.job).toEqual({ kind: 'values', values: ['api', 'worker'] });
  });

  it('give histograms bucket, sum and count series with Prometheus 3 le values', () => {
    expect(duration.declaration.series.map((s) => [s.name, s.kind])).toEqual([
      ['http_request_duration_seconds_bucket', 'counter'],
      ['http_request_duration_seconds_sum', 'counter'],
      ['http_request_duration_seconds_count', 'counter'],
    ]);
    expect(duration.declaration.labels.le).toEqual({
      kind: 'values',
      values: ['0.1', '0.5', '1.0', '2.5', '+Inf'],
    });
    expect(duration.le(1)).toBe('1.0');
    expect(duration.le(Infinity)).toBe('+Inf');
    expect(() => duration.le(0.25)).toThrow('histogram http_request_duration_seconds has no bucket 0.25');
    expect(queueLatency.labels).toContain('quantile');
    expect(queueLatency.sum.labels).not.toContain('quantile');
  });

  it('formats floats like Prometheus 3 normalises le and quantile', () => {
    expect(
      [0, 1, 10, 0.005, 2.5, 100000, 1e6, 1234567, 0.0001, 1e-5, -1].map(formatOpenMetricsFloat),
    ).toEqual([
      '0.0',
      '1.0',
      '10.0',
      '0.005',
      '2.5',
      '100000.0',
      '1e+06',
      '1.234567e+06',
      '0.0001',
      '1e-05',
      '-1.0',
    ]);
  });

  it('reject bad declarations at the line that wrote them', () => {
    const spec = { help: 'h', unit: 'count', jobs: [api], labels: {} } as const;
    const badName = (() => {
      try {
        gauge('bad-name', spec);
      } catch (error) {
        return error as O11yError;
      }
    })();
    expect(badName).toBeInstanceOf(O11yError);
    expect(badName?.message).toBe('metric bad-name: is not a valid metric name');
    expect(badName?.source?.file).toBe(THIS_FILE);
    expect(() => gauge('a:b', spec)).toThrow('colons are reserved for recording rules');
    expect(() => gauge('x', { ...spec, help: ' ' })).toThrow('metric x: needs a help text');
    expect(() => gauge('x', { ...spec, jobs: [] })).toThrow('needs at least one job');
    expect(() => gauge('x', { ...spec, labels: { __x: label.cardinality(1) } })).toThrow(
      'not a valid label name',
    );
    expect(() => histogram('h', { ...spec, buckets: [1, 0.5] })).toThrow('increasing order');
    expect(() => histogram('h', { ...spec, labels: { le: label.cardinality(3) }, buckets: [1] })).toThrow(
      'label "le" is reserved for histograms',
    );
    expect(() => gauge('x', { ...spec, jointCaps: [{ labels: ['nope' as 'job'], max: 3 }] })).toThrow(
      'joint cap names unknown labels nope',
    );
    expect(() =>
      gauge('x', { ...spec, jointCaps: [{ labels: ['instance'], per: ['nope' as 'job'], max: 3 }] }),
    ).toThrow('joint cap names unknown labels nope');
    expect(() => label.values(['a', 'a'])).toThrow('lists a value twice');
    expect(() => label.cardinality(0)).toThrow('must be a positive integer');
    expect(() => job('j', { scrapeInterval: '15 s' as '15s', instances: 1 })).toThrow('invalid duration');
  });
});

describe('catalogue', () => {
  it('looks metrics up by name and by series name', () => {
    expect(fixtureCatalog.metric('http_request_duration_seconds')).toBe(duration.declaration);
    expect(fixtureCatalog.series('http_request_duration_seconds_bucket')?.labels).toContain('le');
    expect(fixtureCatalog.series('http_request_duration_seconds_count')?.declaration).toBe(
      duration.declaration,
    );
    expect(fixtureCatalog.series('queue_latency_seconds')?.kind).toBe('gauge');
    expect(fixtureCatalog.series('http_request_duration_seconds')).toBeUndefined();
    expect(fixtureCatalog.metrics.map((m) => m.name)).toEqual([
      'http_request_duration_seconds',
      'http_requests_total',
      'process_resident_memory_bytes',
      'queue_latency_seconds',
    ]);
    expect(fixtureCatalog.jobs()).toEqual([api, worker]);
  });

  it('reports every duplicate with both locations', () => {
    const again = counter('http_requests_total', { help: 'h', unit: 'requests', jobs: [api], labels: {} });
    const clash = gauge('http_request_duration_seconds_sum', {
      help: 'h',
      unit: 'count',
      jobs: [api],
      labels: {},
    });
    let error: unknown;
    try {
      defineCatalog([requests, duration, again, clash]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(O11yErrors);
    const diagnostics = (error as O11yErrors).diagnostics;
    expect(diagnostics.map((d) => d.message)).toEqual([
      'metric http_requests_total is declared twice',
      'series http_request_duration_seconds_sum is declared twice',
    ]);
    expect(diagnostics[0]?.source?.file).toBe(THIS_FILE);
    expect(diagnostics[0]?.hint).toContain('packages/catalog/test/fixture.ts:7:');
  });

  it('extends with recorded series', () => {
    expect(fixtureCatalog.with([]).metrics).toHaveLength(4);
  });
});

describe('services', () => {
  it('derive their scrape job and validate their objectives', () => {
    const spec = {
      description: 'd',
      team: 'payments',
      instrumentation: 'prom-client',
      tier: 'critical',
      replicas: 3,
      port: 3000,
      datastores: ['postgres'],
      slo: { availability: 0.999, latency: { threshold: 0.5, objective: 0.99 } },
    } as const;
    const payments = service('payments', spec);
    expect(payments.job).toMatchObject({ name: 'payments', instances: 3, scrapeInterval: '15s' });
    expect(payments.source.file).toBe(THIS_FILE);
    expect(() => service('Payments', spec)).toThrow('name must be lower-case');
    expect(() => service('p', { ...spec, slo: { ...spec.slo, availability: 1 } })).toThrow(
      'availability objective must lie strictly between 0 and 1',
    );
  });
});
