import { O11yError } from '@o11y/core';
import { Counter, Gauge, Histogram, Registry, type RegistryContentType, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkConformity, defineCatalog, defineDimensions, parseExposition } from '../src/index.ts';
import { fixtureCatalog } from './fixture.ts';

describe('parseExposition', () => {
  it('parses HELP, TYPE, escapes, timestamps and special values', () => {
    const families = parseExposition(
      [
        '# HELP msdos_file_access_time_seconds Access time\\nof a \\\\ file.',
        '# TYPE msdos_file_access_time_seconds gauge',
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
        '# a comment',
        '',
        '  metric_without_timestamp_and_labels 12.47  ',
        'something_weird{problem="division by zero"} +Inf -3982045',
        'nan_value\t{a="b",} NaN',
        '{"my.dotted.metric", "label.name"="v"} -1',
      ].join('\r\n'),
    );
    expect(families).toEqual([
      {
        name: 'msdos_file_access_time_seconds',
        type: 'gauge',
        help: 'Access time\nof a \\ file.',
        samples: [
          {
            name: 'msdos_file_access_time_seconds',
            labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' },
            value: 1458255915,
            line: 3,
          },
        ],
      },
      {
        name: 'metric_without_timestamp_and_labels',
        type: 'untyped',
        samples: [{ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47, line: 6 }],
      },
      {
        name: 'something_weird',
        type: 'untyped',
        samples: [
          {
            name: 'something_weird',
            labels: { problem: 'division by zero' },
            value: Infinity,
            timestamp: -3982045,
            line: 7,
          },
        ],
      },
      {
        name: 'nan_value',
        type: 'untyped',
        samples: [{ name: 'nan_value', labels: { a: 'b' }, value: Number.NaN, line: 8 }],
      },
      {
        name: 'my.dotted.metric',
        type: 'untyped',
        samples: [{ name: 'my.dotted.metric', labels: { 'label.name': 'v' }, value: -1, line: 9 }],
      },
    ]);
  });

  it('groups histogram and summary series into their family', () => {
    const families = parseExposition(
      [
        '# TYPE rpc_duration_seconds histogram',
        'rpc_duration_seconds_bucket{le="0.05"} 24054',
        'rpc_duration_seconds_bucket{le="+Inf"} 144320',
        'rpc_duration_seconds_sum 53423',
        'rpc_duration_seconds_count 144320',
        '# TYPE rpc_latency summary',
        'rpc_latency{quantile="0.5"} 4773',
        'rpc_latency_sum 1.7560473e+07',
        'rpc_latency_count 2693',
        'rpc_latency_total 3',
      ].join('\n'),
    );
    expect(families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      [
        'rpc_duration_seconds',
        'histogram',
        [
          'rpc_duration_seconds_bucket',
          'rpc_duration_seconds_bucket',
          'rpc_duration_seconds_sum',
          'rpc_duration_seconds_count',
        ],
      ],
      ['rpc_latency', 'summary', ['rpc_latency', 'rpc_latency_sum', 'rpc_latency_count']],
      ['rpc_latency_total', 'untyped', ['rpc_latency_total']],
    ]);
  });

  it('reads OpenMetrics (exemplars, UNIT, # EOF) as the families Prometheus stores, like the text format', async () => {
    // The same metrics and observations exposed by two registries, one per format.
    const expose = async (openMetrics: boolean) => {
      const registry = new Registry<RegistryContentType>();
      if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      const requests = new Counter({
        name: 'app_requests_total',
        help: 'Requests.',
        labelNames: ['route'],
        registers: [registry],
        enableExemplars: openMetrics,
      });
      const latency = new Histogram({
        name: 'app_latency_seconds',
        help: 'Latency.',
        labelNames: ['route'],
        buckets: [0.1, 1],
        registers: [registry],
        enableExemplars: openMetrics,
      });
      new Gauge({ name: 'app_up', help: 'Up.', registers: [registry] }).set(1);
      if (openMetrics) {
        const exemplarLabels: Record<string, string> = { trace_id: 'abc' };
        requests.inc({ labels: { route: '/a' }, value: 2, exemplarLabels });
        latency.observe({ labels: { route: '/a' }, value: 0.05, exemplarLabels });
      } else {
        requests.inc({ route: '/a' }, 2);
        latency.observe({ route: '/a' }, 0.05);
      }
      return registry.metrics();
    };
    const shape = (text: string) =>
      parseExposition(text).map((f) => [
        f.name,
        f.type,
        f.samples.map((sample) => [sample.name, sample.labels, sample.value]),
      ]);
    const text = await expose(false);
    const openMetrics = await expose(true);
    expect(openMetrics).toContain('# {trace_id="abc"}');
    expect(openMetrics.trimEnd().endsWith('# EOF')).toBe(true);
    expect(shape(openMetrics)).toEqual(shape(text));
    expect(shape(openMetrics).map(([name, type]) => [name, type])).toEqual([
      ['app_requests_total', 'counter'],
      ['app_latency_seconds', 'histogram'],
      ['app_up', 'gauge'],
    ]);
  });

  it('reads OpenMetrics types, suffixes and timestamps in seconds', () => {
    const families = parseExposition(
      [
        '# TYPE build info',
        'build_info{version="1.2"} 1',
        '# TYPE jobs counter',
        '# UNIT jobs jobs',
        'jobs_total 3 1520879607.789 # {id="x"} 1 1520879607.7',
        'jobs_created 1520430000.123',
        '# TYPE queue gaugehistogram',
        'queue_bucket{le="+Inf"} 4',
        'queue_gsum 2',
        'queue_gcount 4',
        '# TYPE mystery unknown',
        'mystery 1',
        '# EOF',
      ].join('\n'),
    );
    expect(families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      ['build_info', 'gauge', ['build_info']],
      ['jobs_total', 'counter', ['jobs_total', 'jobs_created']],
      ['queue', 'histogram', ['queue_bucket', 'queue_gsum', 'queue_gcount']],
      ['mystery', 'untyped', ['mystery']],
    ]);
    expect(families[1]!.samples[0]!.timestamp).toBe(1520879607789);
    // The same lines without `# EOF` are the text format, where neither is allowed.
    expect(() => parseExposition('# TYPE jobs counter\njobs_total 3 # {id="x"} 1')).toThrow(
      'exposition line 2: unexpected "# {id="x"} 1" after the sample',
    );
    expect(() => parseExposition('# TYPE build info')).toThrow('invalid TYPE line for build');
  });

  it.each([
    ['x{a="b} 1', 'exposition line 1: unterminated string'],
    ['x{a="\\t"} 1', 'exposition line 1: invalid escape "\\t" in string'],
    ['x{a="b" c="d"} 1', 'exposition line 1: expected "," or "}" at column 9'],
    ['x{a="b",a="c"} 1', 'exposition line 1: label "a" appears twice'],
    ['x', 'exposition line 1: sample without a value'],
    ['x one', 'exposition line 1: invalid sample value "one"'],
    ['x 1 2 3', 'exposition line 1: unexpected "3" after the sample'],
    ['x 1 1.5', 'exposition line 1: invalid timestamp "1.5"'],
    ['# TYPE x gauge\n# TYPE x counter', 'exposition line 2: second TYPE line for x'],
    ['# TYPE x histogramm', 'exposition line 1: invalid TYPE line for x'],
    ['x 1\n# TYPE x gauge', 'exposition line 2: TYPE line for x comes after its samples'],
    ['# HELP x a\n# HELP x b', 'exposition line 2: second HELP line for x'],
  ])('rejects %j with the line', (text, message) => {
    let error: unknown;
    try {
      parseExposition(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(O11yError);
    expect((error as O11yError).message).toBe(message);
  });
});

/** A registry like a badly drifted service's: one of each problem the check knows. */
async function driftedExposition(): Promise<string> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Total number of HTTP requests.',
    labelNames: ['method', 'route', 'status_code', 'service', 'path'],
    registers: [registry],
  });
  requests.inc({ method: 'GET', route: '/pay', status_code: '200', service: 'payments', path: '/pay/1' });
  requests.inc({ method: 'BREW', route: '/pay', status_code: '418', service: 'payments', path: '/pay/2' });
  for (let i = 0; i < 41; i++)
    requests.inc({ method: 'GET', route: `/r${i}`, status_code: '200', service: 'payments' });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds.',
    labelNames: ['route'],
    buckets: [0.1, 0.5, 1, 5],
    registers: [registry],
  });
  duration.observe({ route: '/pay' }, 0.2);
  new Counter({ name: 'process_resident_memory_bytes', help: 'wrong type', registers: [registry] }).inc();
  new Summary({
    name: 'queue_latency_seconds',
    help: 'other job',
    percentiles: [0.5, 0.75],
    registers: [registry],
  }).observe(1);
  new Gauge({ name: 'undeclared_gauge', help: 'not in the catalogue', registers: [registry] }).set(1);
  return registry.metrics();
}

describe('checkConformity against a prom-client exposition', () => {
  it('reports each difference once, pointing at the declaration', async () => {
    const families = parseExposition(await driftedExposition());
    const report = checkConformity(fixtureCatalog, families, { job: 'api' });
    expect(report).toMatchObject({ job: 'api', inferredJob: false });
    expect(report.findings.map((f) => [f.severity, f.id, f.message])).toEqual([
      [
        'warning',
        'catalog/missing-label',
        'http_request_duration_seconds never has the declared label "service"',
      ],
      [
        'error',
        'catalog/wrong-buckets',
        'http_request_duration_seconds has undeclared buckets 5.0; missing buckets 2.5',
      ],
      ['error', 'catalog/undeclared-value', 'http_requests_total{method} has undeclared values "BREW"'],
      [
        'error',
        'catalog/undeclared-label',
        'http_requests_total has label "path", which the catalogue does not declare',
      ],
      [
        'error',
        'catalog/too-many-values',
        'http_requests_total{route} has 42 distinct values in one target, more than the 40 declared',
      ],
      ['error', 'catalog/undeclared-value', 'http_requests_total{status_code} has undeclared values "418"'],
      [
        'error',
        'catalog/wrong-type',
        'process_resident_memory_bytes is a counter in the exposition, a gauge in the catalogue',
      ],
      ['warning', 'catalog/other-job', 'queue_latency_seconds is declared for jobs worker, not api'],
      ['error', 'catalog/undeclared-value', 'queue_latency_seconds{quantile} has undeclared values "0.75"'],
      ['warning', 'catalog/missing-label', 'queue_latency_seconds never has the declared label "queue"'],
      ['warning', 'catalog/undeclared-metric', 'undeclared_gauge (gauge) is not in the catalogue'],
    ]);
    expect(report.findings[0]?.source?.file).toBe('packages/catalog/test/fixture.ts');
  });

  it('does not ask a target for a dimension label that its target labels or scrape relabelling set', async () => {
    const families = parseExposition(await driftedExposition());
    const setByTheScrape = (source: 'relabel' | 'target' | 'external_labels') =>
      defineCatalog(
        fixtureCatalog.metrics.map((declaration) => ({ declaration })),
        { dimensions: defineDimensions({ service: { source } }) },
      );
    const missing = (catalog: typeof fixtureCatalog) =>
      checkConformity(catalog, families, { job: 'api' })
        .findings.filter((f) => f.id === 'catalog/missing-label')
        .map((f) => f.message);
    const serviceMissing = 'http_request_duration_seconds never has the declared label "service"';
    expect(missing(fixtureCatalog)).toContain(serviceMissing);
    // external_labels are added when series leave Prometheus, not by the scrape.
    expect(missing(setByTheScrape('external_labels'))).toContain(serviceMissing);
    for (const source of ['relabel', 'target'] as const) {
      expect(missing(setByTheScrape(source))).toEqual([
        'queue_latency_seconds never has the declared label "queue"',
      ]);
    }
  });

  it('reports declared metrics the target does not expose, inferring the job', async () => {
    const registry = new Registry();
    new Summary({
      name: 'queue_latency_seconds',
      help: 'h',
      labelNames: ['queue'],
      percentiles: [0.5, 0.9, 0.99],
      registers: [registry],
    }).observe({ queue: 'emails' }, 2);
    const report = checkConformity(fixtureCatalog, parseExposition(await registry.metrics()));
    expect(report).toMatchObject({ job: 'worker', inferredJob: true });
    expect(report.findings.map((f) => [f.id, f.message])).toEqual([
      ['catalog/missing', 'process_resident_memory_bytes (gauge) is missing'],
    ]);
  });
});
