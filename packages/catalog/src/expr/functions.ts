import type { Node, SelectorNode } from './ast.ts';
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
  if (input.kind !== 'counter') {
    fail(
      `${func}() needs a counter, but ${input} is a gauge`,
      'use deriv()/delta() for gauges, or rate a raw counter',
    );
  }
}

function requireGauge(func: string, input: RangeVector): void {
  if (input.kind !== 'gauge') {
    fail(`${func}() is meant for gauges, but ${input} is a counter`, 'use rate()/increase() for counters');
  }
}

function counterFunction(func: string) {
  return <L extends string>(input: RangeVector<L, 'counter'>): InstantVector<L, 'gauge'> => {
    requireCounter(func, input);
    return vectorOf(func, input);
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

/** Per-second average rate of a counter over the range. */
export const rate = counterFunction('rate');
/** Per-second rate from the last two samples of a counter (for fast-moving graphs). */
export const irate = counterFunction('irate');
/** Increase of a counter over the range. */
export const increase = counterFunction('increase');
/** Number of counter resets in the range. */
export const resets = counterFunction('resets');

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
  : { readonly 'histogram_quantile needs the le label: aggregate with .by(..., "le")': never };

/** `histogram_quantile(φ, v)`: the input must keep `le`; the output drops it. */
export function histogramQuantile<L extends string>(
  phi: ScalarLike,
  input: InstantVector<L> & KeepsLe<L>,
): InstantVector<Exclude<L, 'le'>, 'gauge'> {
  if (!input.labels.includes('le' as L)) {
    fail(
      `histogram_quantile needs the le label, but ${input} drops it`,
      'aggregate with by (…, le) or without (…)',
    );
  }
  const labels = input.labels.filter((l): l is Exclude<L, 'le'> => l !== 'le');
  return new InstantVector(
    call('histogram_quantile', [scalarNode(phi), input]),
    labels,
    'gauge',
    input.specs,
  );
}

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
