import { counter, gauge, histogram, type Job, job, type LabelSpec, label, summary } from '@o11y/catalog';
import { compareCodePoints } from '@o11y/core';
import { camelCase, type NameAllocator } from '../names.ts';
import type { InferredMetric } from './infer.ts';

/** A series the typed expressions can select: its TypeScript spelling, module and value. */
export interface SeriesBinding {
  /** `latency.bucket`, `up`, … */
  readonly code: string;
  /** The identifier to import. */
  readonly ident: string;
  /** The module (relative to the organisation root) that exports `ident`. */
  readonly from: string;
  readonly value: unknown;
}

export interface GeneratedModule {
  /** Relative to the organisation root, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

/** Distinct values assumed for a label no source measured; the declaration says so. */
export const UNMEASURED_CARDINALITY = 10;
/** Scrape settings of a job only named by a selector; the declaration says they are estimates. */
const ESTIMATED_JOB = { scrapeInterval: '1m', instances: 1 } as const;
const UNKNOWN_JOB = 'unknown';

const SERIES_ACCESSORS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  histogram: [
    ['_bucket', '.bucket'],
    ['_sum', '.sum'],
    ['_count', '.count'],
  ],
  summary: [
    ['', ''],
    ['_sum', '.sum'],
    ['_count', '.count'],
  ],
};

function comment(metric: InferredMetric): string {
  const lines = [`${metric.kind}: ${metric.because}.`];
  if (metric.undecided)
    lines.push(`Type undecided (${metric.undecided}): confirm it with --metrics-file or --prometheus-url.`);
  if (metric.corrected) lines.push(`The imported expressions alone suggested ${metric.corrected}.`);
  const unmeasured = [...metric.labels].filter(([, n]) => n === undefined).map(([l]) => l);
  if (unmeasured.length > 0)
    lines.push(`Not measured, estimated: the number of values of ${unmeasured.join(', ')}.`);
  return `/**\n${lines.map((l) => ` * ${l}`).join('\n')}\n */`;
}

/**
 * The catalogue module of one imported file: a declaration per metric its expressions read, built
 * here too (with the same functions) so the typed expressions can be checked before any file is written.
 */
export function declareMetrics(
  path: string,
  metrics: readonly InferredMetric[],
  names: NameAllocator,
  header: string,
): { module: GeneratedModule; series: Map<string, SeriesBinding> } {
  const series = new Map<string, SeriesBinding>();
  const jobNames = [...new Set(metrics.flatMap((m) => (m.jobs.length > 0 ? m.jobs : [UNKNOWN_JOB])))].sort(
    compareCodePoints,
  );
  const jobs = new Map<string, { ident: string; value: Job }>();
  const local = new Set<string>();
  for (const name of jobNames) {
    let ident = `${camelCase(name)}Job`;
    for (let n = 2; local.has(ident); n++) ident = `${camelCase(name)}Job${n}`;
    local.add(ident);
    jobs.set(name, { ident, value: job(name, ESTIMATED_JOB) });
  }
  const needsUnmeasured = metrics.some((m) => [...m.labels.values()].includes(undefined));
  const builders = new Set<string>([
    'job',
    ...(needsUnmeasured || metrics.some((m) => m.labels.size > 0) ? ['label'] : []),
  ]);
  const declarations: string[] = [];
  for (const metric of metrics) {
    const ident = names.take(camelCase(metric.name), '');
    builders.add(metric.kind);
    const metricJobs = (metric.jobs.length > 0 ? metric.jobs : [UNKNOWN_JOB]).map((j) => jobs.get(j)!);
    const labelCode = [...metric.labels]
      .map(
        ([name, n]) =>
          `${/^[A-Za-z_]\w*$/.test(name) ? name : JSON.stringify(name)}: ${n === undefined ? 'unmeasured' : `label.cardinality(${Math.max(n, 1)})`}`,
      )
      .join(', ');
    const labelSpecs: Record<string, LabelSpec> = Object.fromEntries(
      [...metric.labels].map(([name, n]) => [
        name,
        label.cardinality(Math.max(n ?? UNMEASURED_CARDINALITY, 1)),
      ]),
    );
    const help = metric.help ?? `${metric.name}, declared by o11y import (no help text known)`;
    const extra =
      metric.kind === 'histogram'
        ? `buckets: [${metric.buckets!.join(', ')}],`
        : metric.kind === 'summary'
          ? `quantiles: [${metric.quantiles!.join(', ')}],`
          : '';
    declarations.push(
      `${comment(metric)}\nexport const ${ident} = ${metric.kind}(${JSON.stringify(metric.name)}, {
  help: ${JSON.stringify(help)},
  unit: ${JSON.stringify(metric.unit)},
  jobs: [${metricJobs.map((j) => j.ident).join(', ')}],
  labels: { ${labelCode} },
  ${extra}
});`,
    );
    const spec = {
      help,
      unit: metric.unit,
      jobs: metricJobs.map((j) => j.value),
      labels: labelSpecs,
    };
    const value =
      metric.kind === 'histogram'
        ? histogram(metric.name, { ...spec, buckets: metric.buckets! })
        : metric.kind === 'summary'
          ? summary(metric.name, { ...spec, quantiles: metric.quantiles! })
          : metric.kind === 'counter'
            ? counter(metric.name, spec)
            : gauge(metric.name, spec);
    const accessors = SERIES_ACCESSORS[metric.kind] ?? [['', '']];
    for (const [suffix, accessor] of accessors) {
      const target =
        accessor === '' ? value : (value as unknown as Record<string, unknown>)[accessor.slice(1)];
      series.set(`${metric.name}${suffix}`, {
        code: `${ident}${accessor}`,
        ident,
        from: path,
        value: target,
      });
    }
  }
  const jobCode = [...jobs]
    .map(
      ([name, { ident }]) =>
        `/** ${name === UNKNOWN_JOB ? 'No imported expression names the scrape job of these metrics' : `Scrape job ${name}, named by the imported expressions`}: interval and target count are estimates to correct. */
const ${ident} = job(${JSON.stringify(name)}, { scrapeInterval: '${ESTIMATED_JOB.scrapeInterval}', instances: ${ESTIMATED_JOB.instances} });`,
    )
    .join('\n');
  const unmeasuredCode = needsUnmeasured
    ? `/** Distinct values of a label no source measured: an estimate for the cardinality budgets, to correct. */
const unmeasured = label.cardinality(${UNMEASURED_CARDINALITY});`
    : '';
  const code = `${header}
import { ${[...builders].sort(compareCodePoints).join(', ')} } from '@o11y/catalog';

${jobCode}
${unmeasuredCode}

${declarations.join('\n\n')}
`;
  return { module: { path, content: code }, series };
}
