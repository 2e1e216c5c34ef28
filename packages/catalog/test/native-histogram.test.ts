import { init, parse, prettify } from '@o11y/promql';
import { Histogram, Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkConformity,
  defineCatalog,
  type Expr,
  histogramAvg,
  histogramCount,
  histogramFraction,
  histogramQuantile,
  histogramStddev,
  histogramStdvar,
  histogramSum,
  increase,
  irate,
  label,
  max,
  nativeHistogram,
  parseExposition,
  rate,
  raw,
  recorded,
  resets,
  schemaForBucketFactor,
  sum,
  toPromQL,
} from '../src/index.ts';
import { errorOf } from './errors.ts';
import { duration, memory, requests } from './fixture.ts';
import { gateway, gatewayLatency } from './native-fixture.ts';

const THIS_FILE = 'packages/catalog/test/native-histogram.test.ts';

const spec = { help: 'h', unit: 'seconds', jobs: [gateway], labels: {} } as const;

describe('nativeHistogram()', () => {
  it('declares one series per label set, without le or suffixed series', () => {
    const { declaration } = gatewayLatency;
    expect(declaration.type).toBe('native-histogram');
    expect(declaration.buckets).toBeUndefined();
    expect(declaration.series.map((s) => [s.name, s.kind])).toEqual([
      ['gateway_request_duration_seconds', 'counter-histogram'],
    ]);
    expect(gatewayLatency.labels).toEqual(['instance', 'job', 'method', 'route']);
    const catalog = defineCatalog([gatewayLatency, duration]);
    expect(catalog.series('gateway_request_duration_seconds')?.declaration).toBe(declaration);
    expect(catalog.series('gateway_request_duration_seconds_bucket')).toBeUndefined();
    expect(toPromQL(gatewayLatency.select({ method: 'GET' }))).toBe(
      'gateway_request_duration_seconds{method="GET"}',
    );
  });

  it('takes a schema, or derives it from the bucket factor as client libraries do', () => {
    expect(gatewayLatency.declaration.schema).toBe(3); // 1.1 → 2^(2^-3) ≈ 1.09
    expect(nativeHistogram('a_seconds', { ...spec, schema: -4 }).declaration.schema).toBe(-4);
    expect(nativeHistogram('b_seconds', spec).declaration).not.toHaveProperty('schema');
    expect([2, 1.5, 1.1, 1.01, 1.0001, 1e6].map(schemaForBucketFactor)).toEqual([0, 1, 3, 7, 8, -4]);
  });

  it('rejects bad resolutions and le at the caller’s line', () => {
    const both = errorOf(() =>
      nativeHistogram('c_seconds', { ...spec, schema: 3, bucketFactor: 1.1 } as never),
    );
    expect(both.message).toBe('metric c_seconds: declares both schema and bucketFactor');
    expect(both.source?.file).toBe(THIS_FILE);
    expect(() => nativeHistogram('d_seconds', { ...spec, schema: 9 as never })).toThrow(
      'metric d_seconds: schema 9 is not an exponential native histogram schema',
    );
    expect(() => nativeHistogram('e_seconds', { ...spec, schema: -53 as never })).toThrow('schema -53');
    expect(() => nativeHistogram('f_seconds', { ...spec, bucketFactor: 1 })).toThrow(
      'metric f_seconds: bucketFactor 1 must be a number above 1',
    );
    const le = errorOf(() => nativeHistogram('g_seconds', { ...spec, labels: { le: label.cardinality(3) } }));
    expect(le.message).toBe('metric g_seconds: a native histogram has no le label');
    expect(le.source?.file).toBe(THIS_FILE);
  });
});

describe('sample kinds of native histograms', () => {
  it('rates to histograms, which sum and avg keep', () => {
    expect(gatewayLatency.kind).toBe('counter-histogram');
    const perSecond = rate(gatewayLatency.range('5m'));
    expect(perSecond.kind).toBe('gauge-histogram');
    expect(increase(gatewayLatency.range('1h')).kind).toBe('gauge-histogram');
    expect(irate(gatewayLatency.range('1m')).kind).toBe('gauge-histogram');
    expect(resets(gatewayLatency.range('1h')).kind).toBe('gauge');
    expect(sum(perSecond).by('route').kind).toBe('gauge-histogram');
    expect(sum(gatewayLatency).kind).toBe('gauge-histogram');
    expect(max(perSecond).kind).toBe('gauge');
    expect(sum(rate(requests.range('5m'))).by('route').kind).toBe('gauge');
    expect(recorded('route:gateway:rate5m', sum(perSecond).by('route')).kind).toBe('gauge-histogram');
  });

  it('rejects rating a computed histogram at runtime', () => {
    const rated = rate(gatewayLatency.range('5m'));
    const error = errorOf(() => rate(rated.subquery('30m', '1m') as never));
    expect(error.message).toBe(
      'rate() needs a counter or a native histogram, but rate(gateway_request_duration_seconds[5m])[30m:1m] is a gauge',
    );
    expect(error.source?.file).toBe(THIS_FILE);
  });
});

describe('histogram functions', () => {
  const byRoute = sum(rate(gatewayLatency.range('5m'))).by('route');
  const classic = sum(rate(duration.bucket.range('5m'))).by('le', 'route');

  it('prints them and tracks their labels', () => {
    expect(toPromQL(histogramQuantile(0.99, byRoute))).toBe(
      'histogram_quantile(0.99, sum by (route) (rate(gateway_request_duration_seconds[5m])))',
    );
    expect(toPromQL(histogramFraction(0, 0.25, byRoute))).toBe(
      'histogram_fraction(0, 0.25, sum by (route) (rate(gateway_request_duration_seconds[5m])))',
    );
    expect(histogramFraction(0, 0.25, classic).labels).toEqual(['route']);
    expect(toPromQL(histogramCount(byRoute))).toBe(
      'histogram_count(sum by (route) (rate(gateway_request_duration_seconds[5m])))',
    );
    for (const [fn, name] of [
      [histogramSum, 'histogram_sum'],
      [histogramAvg, 'histogram_avg'],
      [histogramStddev, 'histogram_stddev'],
      [histogramStdvar, 'histogram_stdvar'],
    ] as const) {
      const out = fn(byRoute);
      expect(toPromQL(out)).toBe(`${name}(sum by (route) (rate(gateway_request_duration_seconds[5m])))`);
      expect([out.labels, out.kind]).toEqual([['route'], 'gauge']);
    }
  });

  it('still requires le for classic buckets', () => {
    const error = errorOf(() =>
      histogramFraction(0, 1, sum(rate(duration.bucket.range('5m'))).by('route') as never),
    );
    expect(error.message).toBe(
      'histogram_fraction needs the le label or native histogram samples, but sum by (route) (rate(http_request_duration_seconds_bucket[5m])) has neither',
    );
    expect(error.source?.file).toBe(THIS_FILE);
  });

  it('rejects float samples where only native histograms are read', () => {
    const error = errorOf(() => histogramCount(rate(duration.bucket.range('5m')) as never));
    expect(error.message).toBe(
      'histogram_count() reads native histograms only, but rate(http_request_duration_seconds_bucket[5m]) has float samples, which it would drop',
    );
    expect(error.source?.file).toBe(THIS_FILE);
    expect(() => histogramAvg(memory as never)).toThrow('histogram_avg() reads native histograms only');
    // A raw fragment declared as histograms is trusted like its labels.
    expect(toPromQL(histogramSum(raw('h', { labels: [], kind: 'gauge-histogram' })))).toBe(
      'histogram_sum(h)',
    );
  });
});

describe('round trip through the Prometheus parser', () => {
  beforeAll(async () => {
    await init();
  });

  const byRoute = sum(rate(gatewayLatency.select({ method: 'GET' }).range('5m'))).by('route');
  const exprs: Expr[] = [
    histogramQuantile(0.99, byRoute),
    histogramQuantile(0.5, gatewayLatency),
    histogramFraction(0, 0.2, byRoute),
    histogramFraction(0, 0.2, sum(rate(duration.bucket.range('5m'))).by('le', 'route')),
    histogramCount(byRoute).div(histogramCount(byRoute).plus(1)),
    histogramSum(increase(gatewayLatency.range('1h'))),
    histogramAvg(irate(gatewayLatency.range('1m'))),
    histogramStddev(byRoute),
    histogramStdvar(byRoute),
    resets(gatewayLatency.range('1h')),
  ];
  for (const expr of exprs) {
    const text = String(expr);
    it(text, () => {
      const result = parse(text);
      expect(result.ok ? result.type : result.errors).toBe(expr.type);
      const pretty = prettify(text);
      expect(prettify(pretty)).toBe(pretty);
      if (!pretty.includes('\n')) expect(pretty).toBe(text);
    });
  }
});

describe('conformity of native histograms', () => {
  const catalog = defineCatalog([gatewayLatency]);

  /** What prom-client serves for the metric: the text format, where histograms can only be classic. */
  async function textExposition(labelNames: string[]): Promise<string> {
    const registry = new Registry();
    const histogram = new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'Duration of requests through the gateway in seconds.',
      labelNames,
      buckets: [0.1, 1],
      registers: [registry],
    });
    histogram.observe(
      { route: '/pay', method: 'GET', ...(labelNames.includes('path') && { path: '/p' }) },
      0.2,
    );
    return registry.metrics();
  }

  it('reports a native declaration exposed as a classic histogram family', async () => {
    const report = checkConformity(catalog, parseExposition(await textExposition(['route', 'method'])));
    expect(report.job).toBe('gateway');
    expect(report.findings.map((f) => [f.severity, f.id, f.message])).toEqual([
      [
        'warning',
        'catalog/native-as-classic',
        'gateway_request_duration_seconds is declared as a native histogram, but this text exposition has it as a ' +
          'classic histogram (gateway_request_duration_seconds_bucket with le, gateway_request_duration_seconds_sum, ' +
          'gateway_request_duration_seconds_count); the text format cannot carry native histograms',
      ],
    ]);
    expect(report.findings[0]?.hint).toContain('protobuf');
    expect(report.findings[0]?.source?.file).toBe('packages/catalog/test/native-fixture.ts');
  });

  it('still checks the labels, and reports other types as wrong', async () => {
    const drifted = checkConformity(
      catalog,
      parseExposition(await textExposition(['route', 'method', 'path'])),
    );
    expect(drifted.findings.map((f) => f.id)).toEqual([
      'catalog/native-as-classic',
      'catalog/undeclared-label',
    ]);
    const asGauge = parseExposition(
      '# TYPE gateway_request_duration_seconds gauge\ngateway_request_duration_seconds 1\n',
    );
    expect(checkConformity(catalog, asGauge).findings.map((f) => f.message)).toEqual([
      'gateway_request_duration_seconds is a gauge in the exposition, a native-histogram in the catalogue',
    ]);
    expect(checkConformity(catalog, [], { job: 'gateway' }).findings.map((f) => f.message)).toEqual([
      'gateway_request_duration_seconds (native-histogram) is missing',
    ]);
  });
});
