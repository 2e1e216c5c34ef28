import {
  type CounterKind,
  type HistogramKind,
  isHistogramKind,
  type Node,
  type SampleKind,
  type SelectorNode,
} from './ast.ts';
import {
  type Expr,
  fail,
  InstantVector,
  type LabelSpecs,
  type RangeVector,
  Scalar,
  type ScalarLike,
  scalarNode,
} from './vector.ts';

function call(func: string, args: readonly (Expr | Node)[]): Node {
  return { type: 'call', func, args: args.map((a) => ('node' in a ? a.node : a)) };
}

function vectorOf<L extends string>(
  func: string,
  input: Expr & { labels: readonly L[] },
  args: readonly (Expr | Node)[] = [input],
) {
  return new InstantVector<L, 'gauge'>(call(func, args), input.labels, 'gauge', input.specs);
}

function requireCounter(func: string, input: RangeVector): void {
  if (input.kind !== 'counter' && input.kind !== 'counter-histogram') {
    fail(
      `${func}() needs a counter or a native histogram, but ${input} is a ${input.kind}`,
      'use deriv()/delta() for gauges, or rate a raw counter or native histogram',
    );
  }
}

function requireGauge(func: string, input: RangeVector): void {
  if (input.kind !== 'gauge') {
    fail(`${func}() is meant for gauges, but ${input} is a counter`, 'use rate()/increase() for counters');
  }
}

/** What `rate`/`irate`/`increase` give: a float per second for a counter, a histogram for a native histogram. */
export type RateKind<K extends CounterKind> = K extends 'counter-histogram' ? 'gauge-histogram' : 'gauge';

function rateFunction(func: string) {
  return <L extends string, K extends CounterKind>(
    input: RangeVector<L, K>,
  ): InstantVector<L, RateKind<K>> => {
    requireCounter(func, input);
    const kind = (input.kind === 'counter-histogram' ? 'gauge-histogram' : 'gauge') as RateKind<K>;
    return new InstantVector(call(func, [input]), input.labels, kind, input.specs);
  };
}

function gaugeFunction(func: string) {
  return <L extends string>(input: RangeVector<L, 'gauge'>): InstantVector<L, 'gauge'> => {
    requireGauge(func, input);
    return vectorOf(func, input);
  };
}

function overTime(func: string) {
  return <L extends string>(input: RangeVector<L>): InstantVector<L, 'gauge'> => vectorOf(func, input);
}

function elementwise(func: string) {
  return <L extends string>(input: InstantVector<L>): InstantVector<L, 'gauge'> => vectorOf(func, input);
}

/** Per-second average rate of a counter (or native histogram, giving a histogram) over the range. */
export const rate = rateFunction('rate');
/** Per-second rate from the last two samples of a counter or native histogram (for fast-moving graphs). */
export const irate = rateFunction('irate');
/** Increase of a counter (or native histogram, giving a histogram) over the range. */
export const increase = rateFunction('increase');

/** Number of counter resets in the range (of a counter or a native histogram): a float either way. */
export function resets<L extends string>(input: RangeVector<L, CounterKind>): InstantVector<L, 'gauge'> {
  requireCounter('resets', input);
  return vectorOf('resets', input);
}

/** Difference between the first and last value of a gauge over the range. */
export const delta = gaugeFunction('delta');
/** Difference between the last two samples of a gauge. */
export const idelta = gaugeFunction('idelta');
/** Per-second derivative of a gauge by linear regression. */
export const deriv = gaugeFunction('deriv');

/** Value of a gauge `seconds` from now, by linear regression over the range. */
export function predictLinear<L extends string>(
  input: RangeVector<L, 'gauge'>,
  seconds: ScalarLike,
): InstantVector<L, 'gauge'> {
  requireGauge('predict_linear', input);
  return vectorOf('predict_linear', input, [input, scalarNode(seconds)]);
}

export const avgOverTime = overTime('avg_over_time');
export const minOverTime = overTime('min_over_time');
export const maxOverTime = overTime('max_over_time');
export const sumOverTime = overTime('sum_over_time');
export const countOverTime = overTime('count_over_time');
export const lastOverTime = overTime('last_over_time');
export const stddevOverTime = overTime('stddev_over_time');
export const stdvarOverTime = overTime('stdvar_over_time');
export const presentOverTime = overTime('present_over_time');
export const changes = overTime('changes');

export function quantileOverTime<L extends string>(
  phi: ScalarLike,
  input: RangeVector<L>,
): InstantVector<L, 'gauge'> {
  return vectorOf('quantile_over_time', input, [scalarNode(phi), input]);
}

export const abs = elementwise('abs');
export const ceil = elementwise('ceil');
export const floor = elementwise('floor');
export const sqrt = elementwise('sqrt');
export const exp = elementwise('exp');
export const ln = elementwise('ln');
export const log2 = elementwise('log2');
export const log10 = elementwise('log10');
export const sgn = elementwise('sgn');
export const timestamp = elementwise('timestamp');
export const sort = elementwise('sort');
export const sortDesc = elementwise('sort_desc');

export function round<L extends string>(
  input: InstantVector<L>,
  toNearest?: ScalarLike,
): InstantVector<L, 'gauge'> {
  return vectorOf('round', input, toNearest === undefined ? [input] : [input, scalarNode(toNearest)]);
}

export function clampMin<L extends string>(
  input: InstantVector<L>,
  min: ScalarLike,
): InstantVector<L, 'gauge'> {
  return vectorOf('clamp_min', input, [input, scalarNode(min)]);
}

export function clampMax<L extends string>(
  input: InstantVector<L>,
  max: ScalarLike,
): InstantVector<L, 'gauge'> {
  return vectorOf('clamp_max', input, [input, scalarNode(max)]);
}

export function clamp<L extends string>(
  input: InstantVector<L>,
  min: ScalarLike,
  max: ScalarLike,
): InstantVector<L, 'gauge'> {
  return vectorOf('clamp', input, [input, scalarNode(min), scalarNode(max)]);
}

/** Type error unless `L` contains `le`: the message names what to do. */
export type KeepsLe<L extends string> = 'le' extends L
  ? unknown
  : { readonly 'classic buckets need the le label: aggregate with .by(..., "le")': never };

/**
 * What `histogram_quantile`/`histogram_fraction` accept: native histogram samples as they are, or
 * classic bucket counts (floats) that keep `le`.
 */
export type BucketInput<L extends string, K extends SampleKind> = [K] extends [HistogramKind]
  ? unknown
  : KeepsLe<L>;

/** Calls `func(...params, input)` over histograms: native ones, or classic buckets grouped by `le`. */
function bucketFunction<L extends string>(
  func: string,
  params: readonly ScalarLike[],
  input: InstantVector<L>,
): InstantVector<Exclude<L, 'le'>, 'gauge'> {
  if (!isHistogramKind(input.kind) && !input.labels.includes('le' as L)) {
    fail(
      `${func} needs the le label or native histogram samples, but ${input} has neither`,
      'aggregate classic buckets with by (…, le) or without (…), or declare the metric with nativeHistogram()',
    );
  }
  const labels = input.labels.filter((l): l is Exclude<L, 'le'> => l !== 'le');
  return new InstantVector(call(func, [...params.map(scalarNode), input]), labels, 'gauge', input.specs);
}

/** `histogram_quantile(φ, v)`: classic buckets must keep `le` (the output drops it); native histograms need none. */
export function histogramQuantile<L extends string, K extends SampleKind>(
  phi: ScalarLike,
  input: InstantVector<L, K> & BucketInput<L, K>,
): InstantVector<Exclude<L, 'le'>, 'gauge'> {
  return bucketFunction('histogram_quantile', [phi], input);
}

/**
 * `histogram_fraction(lower, upper, v)`: the estimated fraction of observations between the bounds.
 * Prometheus 3 accepts native histograms and classic buckets (which, as for quantiles, must keep `le`).
 */
export function histogramFraction<L extends string, K extends SampleKind>(
  lower: ScalarLike,
  upper: ScalarLike,
  input: InstantVector<L, K> & BucketInput<L, K>,
): InstantVector<Exclude<L, 'le'>, 'gauge'> {
  return bucketFunction('histogram_fraction', [lower, upper], input);
}

/** A function that reads native histogram samples only (Prometheus drops float samples silently). */
function nativeHistogramFunction(func: string) {
  return <L extends string>(input: InstantVector<L, HistogramKind>): InstantVector<L, 'gauge'> => {
    if (!isHistogramKind(input.kind)) {
      fail(
        `${func}() reads native histograms only, but ${input} has float samples, which it would drop`,
        'declare the metric with nativeHistogram(); for a classic histogram use its _count or _sum series',
      );
    }
    return vectorOf(func, input);
  };
}

/** Number of observations in each native histogram. */
export const histogramCount = nativeHistogramFunction('histogram_count');
/** Sum of observations in each native histogram. */
export const histogramSum = nativeHistogramFunction('histogram_sum');
/** Average observation of each native histogram (sum / count). */
export const histogramAvg = nativeHistogramFunction('histogram_avg');
/** Estimated standard deviation of the observations of each native histogram. */
export const histogramStddev = nativeHistogramFunction('histogram_stddev');
/** Estimated variance of the observations of each native histogram. */
export const histogramStdvar = nativeHistogramFunction('histogram_stdvar');

/** Labels set by the equality matchers of a selector: the labels `absent` gives its output series. */
function equalityLabels(node: Node): { labels: string[]; specs: LabelSpecs } {
  const selector: SelectorNode | undefined =
    node.type === 'selector' ? node : node.type === 'matrix' ? node.selector : undefined;
  if (!selector) return { labels: [], specs: {} };
  const equal = selector.matchers.filter((m) => m.op === '=');
  const once = equal.filter((m) => equal.filter((o) => o.label === m.label).length === 1);
  return { labels: once.map((m) => m.label), specs: {} };
}

/** `absent(v)`: 1 when `v` has no series; its labels are those of the selector's equality matchers. */
export function absent(input: InstantVector): InstantVector<never, 'gauge'> {
  const { labels, specs } = equalityLabels(input.node);
  return new InstantVector(call('absent', [input]), labels as never[], 'gauge', specs);
}

/** `absent_over_time(v[range])`: 1 when `v` had no sample in the range. */
export function absentOverTime(input: RangeVector): InstantVector<never, 'gauge'> {
  const { labels, specs } = equalityLabels(input.node);
  return new InstantVector(call('absent_over_time', [input]), labels as never[], 'gauge', specs);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function checkNewLabel(func: string, name: string): void {
  if (!LABEL_NAME.test(name)) fail(`${func}: "${name}" is not a valid label name`);
}

/** `label_replace(v, dst, replacement, src, regex)`: adds or overwrites label `dst`. */
export function labelReplace<L extends string, const D extends string>(
  input: InstantVector<L>,
  dst: D,
  replacement: string,
  src: NoInfer<L>,
  regex: string,
): InstantVector<L | D, 'gauge'> {
  checkNewLabel('label_replace', dst);
  if (!input.labels.includes(src)) fail(`label_replace reads label "${src}", which ${input} does not have`);
  const args = [
    input.node,
    ...[dst, replacement, src, regex].map((value): Node => ({ type: 'string', value })),
  ];
  const specs = { ...input.specs };
  delete (specs as Record<string, unknown>)[dst];
  return new InstantVector(call('label_replace', args), [...input.labels, dst], 'gauge', specs);
}

/** `label_join(v, dst, separator, src…)`: writes the joined values of `src` labels into `dst`. */
export function labelJoin<L extends string, const D extends string>(
  input: InstantVector<L>,
  dst: D,
  separator: string,
  ...src: NoInfer<L>[]
): InstantVector<L | D, 'gauge'> {
  checkNewLabel('label_join', dst);
  for (const name of src) {
    if (!input.labels.includes(name)) fail(`label_join reads label "${name}", which ${input} does not have`);
  }
  const args = [input.node, ...[dst, separator, ...src].map((value): Node => ({ type: 'string', value }))];
  const specs = { ...input.specs };
  delete (specs as Record<string, unknown>)[dst];
  return new InstantVector(call('label_join', args), [...input.labels, dst], 'gauge', specs);
}

/** `vector(s)`: a single series without labels. */
export function vector(value: ScalarLike): InstantVector<never, 'gauge'> {
  return new InstantVector(call('vector', [scalarNode(value)]), [], 'gauge');
}

/** `scalar(v)`: the value of a single-series vector, NaN otherwise. */
export function scalar(input: InstantVector): Scalar {
  return new Scalar(call('scalar', [input]));
}

/** `time()`: evaluation time in seconds since the epoch. */
export function time(): Scalar {
  return new Scalar(call('time', []));
}
