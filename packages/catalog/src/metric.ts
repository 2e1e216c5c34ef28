import {
  captureSource,
  compareCodePoints,
  type Duration,
  O11yError,
  parseDuration,
  type SourceLocation,
} from '@o11y/core';
import { type SampleKind, walk } from './expr/ast.ts';
import { Selector, type SeriesInfo, seriesOfNode } from './expr/selector.ts';
import { type Expr, type InstantVector, type LabelSpecs, sortedLabels } from './expr/vector.ts';
import {
  isValidLabelName,
  type LabelMap,
  type LabelMapOf,
  type LabelSpec,
  label,
  type ValuesLabel,
} from './labels.ts';

/** A Prometheus scrape job: the target labels `job` and `instance` of every series it scrapes come from it. */
export interface Job<N extends string = string> {
  readonly name: N;
  readonly scrapeInterval: Duration;
  /** How many targets (distinct `instance` values) the job scrapes. */
  readonly instances: number;
  readonly source: SourceLocation;
}

export function job<const N extends string>(
  name: N,
  spec: { scrapeInterval: Duration; instances: number },
): Job<N> {
  const source = captureSource();
  if (!isValidLabelValue(name)) throw new O11yError(`job name "${name}" is empty`, { source });
  parseDuration(spec.scrapeInterval);
  if (!Number.isInteger(spec.instances) || spec.instances < 1) {
    throw new O11yError(`job ${name} needs a positive whole number of instances, not ${spec.instances}`, {
      source,
    });
  }
  return Object.freeze({ name, scrapeInterval: spec.scrapeInterval, instances: spec.instances, source });
}

const longestScrapes = new WeakMap<readonly Job[], number>();

/**
 * The longest scrape interval of `jobs`, in milliseconds (0 for none). A metric's jobs are read by
 * every SLO and rule of that metric, and a metric every service exposes has a job per service: the
 * list is measured once, not once per reader.
 */
export function longestScrapeIntervalMs(jobs: readonly Job[]): number {
  let longest = longestScrapes.get(jobs);
  if (longest === undefined) {
    longest = 0;
    for (const j of jobs) longest = Math.max(longest, parseDuration(j.scrapeInterval));
    // Only a list that cannot change keeps its answer (a declaration's jobs are frozen).
    if (Object.isFrozen(jobs)) longestScrapes.set(jobs, longest);
  }
  return longest;
}

function isValidLabelValue(value: string): boolean {
  return value.length > 0;
}

/**
 * Units an organisation adds for the things it counts (`parcels`, `seats`, `currency`), by module
 * augmentation, so that a misspelt unit stays a compile error:
 * `declare module '@o11y/catalog' { interface CustomUnits { parcels: true } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the organisation's module augmentation
export interface CustomUnits {}

/**
 * The unit of a metric's values. Base units as Prometheus names them (`seconds`, `bytes`), `ratio` for
 * 0–1 values, `timestamp` for Unix seconds, `info` for constant-1 info metrics, counted things, and the
 * organisation's `CustomUnits`.
 */
export type Unit =
  | 'seconds'
  | 'bytes'
  | 'ratio'
  | 'percent'
  | 'timestamp'
  | 'info'
  | 'boolean'
  | 'celsius'
  | 'hertz'
  | 'requests'
  | 'errors'
  | 'operations'
  | 'queries'
  | 'connections'
  | 'packets'
  | 'messages'
  | 'events'
  | 'items'
  | 'count'
  | keyof CustomUnits;

/**
 * At most `max` distinct combinations of these labels exist together (e.g. `pod` and `instance`); with
 * `per`, at most `max` for each combination of the `per` labels' values (15 `route`s per `service`):
 * a selector of one service then counts that service's routes, not every service's.
 */
export interface JointCap<N extends string = string> {
  readonly labels: readonly N[];
  readonly per?: readonly N[];
  readonly max: number;
}

/** A cap's bound for these label counts: how many combinations of its labels (and `per` labels) exist at most. */
export function capBound(cap: JointCap, count: (label: string) => number): { inside: number; max: number } {
  const per = cap.per ?? [];
  const product = (labels: readonly string[]) => labels.reduce((n, l) => n * count(l), 1);
  return { inside: product([...cap.labels, ...per]), max: cap.max * product(per) };
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'native-histogram' | 'summary' | 'recorded';

/** Everything the catalogue knows about one metric; lint, the cardinality estimates and conformity read it. */
export interface MetricDeclaration {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: Unit | undefined;
  readonly jobs: readonly Job[];
  /** Declared labels plus `job` and `instance`, with their values or estimates. */
  readonly labels: LabelSpecs;
  readonly jointCaps: readonly JointCap[];
  /** Histogram bucket upper bounds, without `+Inf`. */
  readonly buckets?: readonly number[];
  /**
   * Native histogram resolution, when declared: buckets grow by 2^(2^-schema) (schema 3: about 9 %).
   * Absent when the instrumentation picks it.
   */
  readonly schema?: NativeHistogramSchema;
  /** Summary quantiles. */
  readonly quantiles?: readonly number[];
  /** The series names it is queried by (`x`, or `x_bucket`, `x_sum`, `x_count`). */
  readonly series: readonly SeriesInfo[];
  /** Written by Prometheus at each scrape (`up`, `scrape_*`) rather than by the target. */
  readonly scrapeGenerated: boolean;
  /** For a recording rule: the expression it records. */
  readonly expr?: Expr;
  readonly source: SourceLocation;
}

export interface MetricSpec<Specs extends Readonly<Record<string, LabelSpec>>, J extends string> {
  readonly help: string;
  readonly unit: Unit;
  readonly jobs: readonly Job<J>[];
  readonly labels: Specs;
  readonly jointCaps?: readonly JointCap<(keyof Specs & string) | 'job' | 'instance'>[];
  /** Written by Prometheus itself at each scrape (`up`, `scrape_*`), so never in an exposition. */
  readonly scrapeGenerated?: boolean;
}

type Flatten<T> = { readonly [K in keyof T]: T[K] } & {};

/** The labels of a metric's series: its declared labels plus the target labels `job` and `instance`. */
export type MetricLabels<Specs, J extends string> = Flatten<
  Omit<{ readonly job: J; readonly instance: string }, keyof Specs> & LabelMapOf<Specs>
>;

/** Anything declared in the catalogue: a raw metric or a recording rule's output. */
export interface CatalogueEntry {
  readonly declaration: MetricDeclaration;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

interface DeclarationInput {
  readonly name: string;
  readonly type: MetricType;
  readonly spec: {
    readonly help: string;
    readonly unit: Unit;
    readonly jobs: readonly Job[];
    readonly labels: Readonly<Record<string, LabelSpec>>;
    readonly jointCaps?: readonly JointCap[];
    readonly scrapeGenerated?: boolean;
  };
  readonly extraLabels?: Readonly<Record<string, LabelSpec>>;
  readonly buckets?: readonly number[];
  readonly schema?: NativeHistogramSchema;
  readonly quantiles?: readonly number[];
  readonly source: SourceLocation;
}

function declare(input: DeclarationInput, series: (d: MetricDeclaration) => SeriesInfo[]): MetricDeclaration {
  const { name, spec, source } = input;
  const problem = (message: string, hint?: string) =>
    new O11yError(`metric ${name}: ${message}`, { source, ...(hint && { hint }) });
  if (!METRIC_NAME.test(name)) throw problem('is not a valid metric name', 'use [a-zA-Z_:][a-zA-Z0-9_:]*');
  if (name.includes(':'))
    throw problem('colons are reserved for recording rules', 'declare it with recorded()');
  if (spec.help.trim() === '') throw problem('needs a help text');
  if (spec.jobs.length === 0) throw problem('needs at least one job that exposes it');
  for (const labelName of Object.keys(spec.labels)) {
    if (!isValidLabelName(labelName)) throw problem(`label "${labelName}" is not a valid label name`);
    if (input.extraLabels?.[labelName]) throw problem(`label "${labelName}" is reserved for ${input.type}s`);
  }
  const instances = spec.jobs.reduce((sum, j) => sum + j.instances, 0);
  const labels: Record<string, LabelSpec> = {
    job: label.values(sortedLabels(spec.jobs.map((j) => j.name))),
    instance: label.cardinality(instances),
    ...spec.labels,
    ...input.extraLabels,
  };
  for (const cap of spec.jointCaps ?? []) {
    const unknown = [...cap.labels, ...(cap.per ?? [])].filter((l) => !labels[l]);
    if (unknown.length > 0) throw problem(`joint cap names unknown labels ${unknown.join(', ')}`);
    if (!Number.isInteger(cap.max) || cap.max < 1) throw problem(`joint cap max must be a positive integer`);
  }
  const declaration: MetricDeclaration = {
    name,
    type: input.type,
    help: spec.help,
    unit: spec.unit,
    jobs: Object.freeze([...spec.jobs]),
    labels: Object.freeze(labels),
    jointCaps: Object.freeze([...(spec.jointCaps ?? [])]),
    scrapeGenerated: spec.scrapeGenerated ?? false,
    ...(input.buckets && { buckets: Object.freeze([...input.buckets]) }),
    ...(input.schema !== undefined && { schema: input.schema }),
    ...(input.quantiles && { quantiles: Object.freeze([...input.quantiles]) }),
    series: [],
    source,
  };
  (declaration as { series: readonly SeriesInfo[] }).series = Object.freeze(series(declaration));
  return Object.freeze(declaration);
}

function seriesOf(
  declaration: MetricDeclaration,
  name: string,
  kind: SampleKind,
  without: readonly string[] = [],
): SeriesInfo {
  const specs = Object.fromEntries(Object.entries(declaration.labels).filter(([l]) => !without.includes(l)));
  return Object.freeze({ name, kind, labels: sortedLabels(Object.keys(specs)), specs, declaration });
}

/**
 * A metric whose own name is a series (counter, gauge, summary, recording rule): it is a selector of
 * that series, so `rate(httpRequests.range('5m'))` and `httpRequests.select({...})` work directly.
 */
export class MetricSelector<
  N extends string = string,
  M extends LabelMap = LabelMap,
  K extends SampleKind = SampleKind,
> extends Selector<M, K> {
  readonly name: N;
  readonly declaration: MetricDeclaration;

  constructor(name: N, declaration: MetricDeclaration) {
    super(declaration.series[0]!);
    this.name = name;
    this.declaration = declaration;
  }
}

/** A counter; `rate`, `increase` and `irate` accept its ranges. */
export type Counter<N extends string = string, M extends LabelMap = LabelMap> = MetricSelector<
  N,
  M,
  'counter'
>;
/** A gauge; `rate` on it is a type error. */
export type Gauge<N extends string = string, M extends LabelMap = LabelMap> = MetricSelector<N, M, 'gauge'>;

/** A classic histogram: not selectable itself; select `.bucket` (with `le`), `.sum` or `.count`. */
export class Histogram<N extends string = string, M extends LabelMap = LabelMap> {
  readonly name: N;
  readonly declaration: MetricDeclaration;
  readonly bucket: Selector<Flatten<M & { readonly le: string }>, 'counter'>;
  readonly sum: Selector<M, 'counter'>;
  readonly count: Selector<M, 'counter'>;

  constructor(name: N, declaration: MetricDeclaration) {
    this.name = name;
    this.declaration = declaration;
    const [bucket, sum, count] = declaration.series;
    this.bucket = new Selector(bucket!);
    this.sum = new Selector(sum!);
    this.count = new Selector(count!);
  }

  /** The `le` label value of a bucket bound, as Prometheus 3 stores it (`1` → `"1.0"`). */
  le(bound: number): string {
    if (bound !== Number.POSITIVE_INFINITY && !this.declaration.buckets?.includes(bound)) {
      throw new O11yError(`histogram ${this.name} has no bucket ${bound}`, {
        source: captureSource(),
        hint: `its buckets are ${this.declaration.buckets?.join(', ')}`,
      });
    }
    return formatOpenMetricsFloat(bound);
  }
}

/**
 * A native histogram: one series per label set whose samples are whole histograms (no `le`, no
 * `_bucket`/`_sum`/`_count`). It is a selector of that series; `rate` of it gives histograms, which
 * `histogramQuantile`, `histogramFraction`, `histogramCount`, `histogramSum` and `histogramAvg` read.
 */
export class NativeHistogram<N extends string = string, M extends LabelMap = LabelMap> extends MetricSelector<
  N,
  M,
  'counter-histogram'
> {}

/** A summary: a selector of its quantile series (label `quantile`), plus `.sum` and `.count`. */
export class Summary<N extends string = string, M extends LabelMap = LabelMap> extends MetricSelector<
  N,
  Flatten<M & { readonly quantile: string }>,
  'gauge'
> {
  readonly sum: Selector<M, 'counter'>;
  readonly count: Selector<M, 'counter'>;

  constructor(name: N, declaration: MetricDeclaration) {
    super(name, declaration);
    this.sum = new Selector(declaration.series[1]!);
    this.count = new Selector(declaration.series[2]!);
  }
}

function singleSeries<const N extends string, K extends 'counter' | 'gauge'>(
  name: N,
  type: K,
  spec: DeclarationInput['spec'],
): MetricSelector<N, LabelMap, K> {
  const declaration = declare({ name, type, spec, source: captureSource() }, (d) => [
    seriesOf(d, name, type),
  ]);
  return new MetricSelector(name, declaration);
}

export function counter<
  const N extends string,
  const Specs extends Readonly<Record<string, LabelSpec>>,
  J extends string,
>(name: N, spec: MetricSpec<Specs, J>): Counter<N, MetricLabels<Specs, J>> {
  return singleSeries(name, 'counter', spec);
}

export function gauge<
  const N extends string,
  const Specs extends Readonly<Record<string, LabelSpec>>,
  J extends string,
>(name: N, spec: MetricSpec<Specs, J>): Gauge<N, MetricLabels<Specs, J>> {
  return singleSeries(name, 'gauge', spec);
}

function checkBounds(name: string, what: string, bounds: readonly number[], source: SourceLocation) {
  const sorted = bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > bounds[i - 1]!));
  if (bounds.length === 0 || !sorted) {
    throw new O11yError(`metric ${name}: ${what} must be finite numbers in increasing order`, {
      source,
      hint: '+Inf is added automatically for histograms',
    });
  }
}

export function histogram<
  const N extends string,
  const Specs extends Readonly<Record<string, LabelSpec>>,
  J extends string,
>(
  name: N,
  spec: MetricSpec<Specs, J> & { readonly buckets: readonly number[] },
): Histogram<N, MetricLabels<Specs, J>> {
  const source = captureSource();
  checkBounds(name, 'buckets', spec.buckets, source);
  const le: ValuesLabel = label.values([...spec.buckets.map(formatOpenMetricsFloat), '+Inf']);
  const declaration = declare(
    { name, type: 'histogram', spec, extraLabels: { le }, buckets: spec.buckets, source },
    (d) => [
      seriesOf(d, `${name}_bucket`, 'counter'),
      seriesOf(d, `${name}_sum`, 'counter', ['le']),
      seriesOf(d, `${name}_count`, 'counter', ['le']),
    ],
  );
  return new Histogram(name, declaration);
}

/** Exponential schemas Prometheus stores: bucket boundaries grow by 2^(2^-schema). */
export type NativeHistogramSchema = -4 | -3 | -2 | -1 | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
const MIN_SCHEMA = -4;
const MAX_SCHEMA = 8;

/** The resolution of a native histogram: a schema, or the bucket growth factor the client library is given. */
export type NativeResolution =
  | { readonly schema?: NativeHistogramSchema; readonly bucketFactor?: never }
  | { readonly bucketFactor?: number; readonly schema?: never };

/**
 * The schema a client library picks for a bucket growth factor: the coarsest whose factor
 * 2^(2^-schema) does not exceed it, clamped to what Prometheus stores (-4…8).
 */
export function schemaForBucketFactor(bucketFactor: number): NativeHistogramSchema {
  const schema = 0 - Math.floor(Math.log2(Math.log2(bucketFactor)));
  return Math.min(MAX_SCHEMA, Math.max(MIN_SCHEMA, schema)) as NativeHistogramSchema;
}

function nativeSchema(name: string, spec: NativeResolution, source: SourceLocation) {
  const problem = (message: string, hint: string) =>
    new O11yError(`metric ${name}: ${message}`, { source, hint });
  const { schema, bucketFactor } = spec as { schema?: number; bucketFactor?: number };
  if (schema !== undefined && bucketFactor !== undefined) {
    throw problem('declares both schema and bucketFactor', 'give one: the schema follows from the factor');
  }
  if (schema !== undefined) {
    if (!Number.isInteger(schema) || schema < MIN_SCHEMA || schema > MAX_SCHEMA) {
      throw problem(
        `schema ${schema} is not an exponential native histogram schema`,
        `use a whole number from ${MIN_SCHEMA} to ${MAX_SCHEMA}; declare custom bucket bounds with histogram()`,
      );
    }
    return schema as NativeHistogramSchema;
  }
  if (bucketFactor === undefined) return undefined;
  if (!Number.isFinite(bucketFactor) || bucketFactor <= 1) {
    throw problem(
      `bucketFactor ${bucketFactor} must be a number above 1`,
      'e.g. 1.1 for buckets about 10 % wide',
    );
  }
  return schemaForBucketFactor(bucketFactor);
}

export function nativeHistogram<
  const N extends string,
  const Specs extends Readonly<Record<string, LabelSpec>>,
  J extends string,
>(name: N, spec: MetricSpec<Specs, J> & NativeResolution): NativeHistogram<N, MetricLabels<Specs, J>> {
  const source = captureSource();
  if ('le' in spec.labels) {
    throw new O11yError(`metric ${name}: a native histogram has no le label`, {
      source,
      hint: 'its samples hold every bucket; declare classic buckets with histogram() instead',
    });
  }
  const schema = nativeSchema(name, spec, source);
  const declaration = declare({ name, type: 'native-histogram', spec, schema, source }, (d) => [
    seriesOf(d, name, 'counter-histogram'),
  ]);
  return new NativeHistogram(name, declaration);
}

export function summary<
  const N extends string,
  const Specs extends Readonly<Record<string, LabelSpec>>,
  J extends string,
>(
  name: N,
  spec: MetricSpec<Specs, J> & { readonly quantiles: readonly number[] },
): Summary<N, MetricLabels<Specs, J>> {
  const source = captureSource();
  checkBounds(name, 'quantiles', spec.quantiles, source);
  if (spec.quantiles.some((q) => q < 0 || q > 1)) {
    throw new O11yError(`metric ${name}: quantiles must lie between 0 and 1`, { source });
  }
  const quantile = label.values(spec.quantiles.map(formatOpenMetricsFloat));
  const declaration = declare(
    { name, type: 'summary', spec, extraLabels: { quantile }, quantiles: spec.quantiles, source },
    (d) => [
      seriesOf(d, name, 'gauge'),
      seriesOf(d, `${name}_sum`, 'counter', ['quantile']),
      seriesOf(d, `${name}_count`, 'counter', ['quantile']),
    ],
  );
  return new Summary(name, declaration);
}

/** The output of a recording rule, selectable like a raw metric; its labels are the expression's. */
export class Recorded<
  N extends string = string,
  L extends string = string,
  K extends SampleKind = SampleKind,
> extends MetricSelector<N, { readonly [P in L]: string }, K> {
  readonly expr: InstantVector<L, K>;

  constructor(name: N, declaration: MetricDeclaration, expr: InstantVector<L, K>) {
    super(name, declaration);
    this.expr = expr;
  }
}

/**
 * Declares the series a recording rule writes: named `name`, with the expression's output labels and
 * sample kind (only a plain counter selector records a counter, so `rate` on a recorded rate is an error).
 * The recorded series is scraped by no job: it inherits the jobs of the metrics the expression reads.
 */
export function recorded<const N extends string, L extends string, K extends SampleKind>(
  name: N,
  expr: InstantVector<L, K>,
  source: SourceLocation = captureSource(),
): Recorded<N, L, K> {
  if (!METRIC_NAME.test(name)) {
    throw new O11yError(`recording rule name "${name}" is not a valid metric name`, {
      source,
      hint: 'use level:metric:operations, e.g. service:http_requests:rate5m',
    });
  }
  return new Recorded(name, new RecordedDeclaration(name, expr, source), expr);
}

const NO_JOINT_CAPS: readonly JointCap[] = Object.freeze([]);

/**
 * The declaration of a recorded series. Its help text prints the expression when it is read: a large
 * organisation records tens of thousands of series, whose printed expressions nothing reads.
 */
class RecordedDeclaration implements MetricDeclaration {
  readonly name: string;
  readonly type = 'recorded';
  readonly unit = undefined;
  readonly jobs: readonly Job[];
  readonly labels: LabelSpecs;
  readonly jointCaps = NO_JOINT_CAPS;
  readonly scrapeGenerated = false;
  readonly expr: Expr;
  readonly series: readonly SeriesInfo[];
  readonly source: SourceLocation;

  constructor(name: string, expr: InstantVector, source: SourceLocation) {
    this.name = name;
    this.jobs = jobsRead(expr);
    this.labels = expr.specs;
    this.expr = expr;
    this.series = Object.freeze([
      Object.freeze({ name, kind: expr.kind, labels: expr.labels, specs: expr.specs, declaration: this }),
    ]);
    this.source = source;
    Object.freeze(this);
  }

  get help(): string {
    return `Recording rule: ${this.expr}`;
  }
}

function jobsRead(expr: Expr): readonly Job[] {
  const lists = new Set<readonly Job[]>();
  for (const node of walk(expr.node)) {
    const series = node.type === 'selector' ? seriesOfNode(node) : undefined;
    if (series) lists.add(series.declaration.jobs);
  }
  // Memoised by the lists read, in reading order: the rules that read the same metrics (one metric
  // in the usual case) share one sorted list, however many jobs each metric has.
  let memo = jobsMemo;
  for (const list of lists) {
    let next = memo.next.get(list);
    if (!next) {
      next = { next: new WeakMap() };
      memo.next.set(list, next);
    }
    memo = next;
  }
  memo.sorted ??= sortJobs([...lists].flat());
  return memo.sorted;
}

/** A trie of job lists, held weakly: an entry lives as long as the catalogue's lists it is keyed by. */
interface JobsMemo {
  readonly next: WeakMap<readonly Job[], JobsMemo>;
  sorted?: readonly Job[];
}
const jobsMemo: JobsMemo = { next: new WeakMap() };

/** Distinct by name, in name order. */
function sortJobs(jobs: readonly Job[]): readonly Job[] {
  const byName = new Map<string, Job>();
  for (const j of jobs) byName.set(j.name, j);
  return Object.freeze([...byName.values()].sort((a, b) => compareCodePoints(a.name, b.name)));
}

/**
 * The label value Prometheus 3 stores for a bucket bound or quantile: Go's shortest `%g` formatting,
 * with `.0` added to whole numbers (`1` → `"1.0"`, `0.005` → `"0.005"`, `1e6` → `"1e+06"`).
 */
export function formatOpenMetricsFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (value === 0) return '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const text =
    exponent < -4 || exponent >= 6
      ? `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
      : String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
