import { interned, labelsKey } from '../interned.ts';
import {
  type AggregateNode,
  type AggregateOp,
  type Grouping,
  isHistogramKind,
  type SampleKind,
} from './ast.ts';
import { fail, InstantVector, type ScalarLike, scalarNode } from './vector.ts';

function checkGrouping(input: InstantVector, grouping: Grouping, op: AggregateOp): void {
  for (const name of grouping.labels) {
    if (!input.labels.includes(name)) {
      fail(
        `${op} ${grouping.mode} (${grouping.labels.join(', ')}) uses label "${name}", which its input does not have`,
        `the input's labels are ${input.labels.join(', ') || '(none)'}`,
      );
    }
  }
}

/** One frozen grouping per mode and label list: `by (service)` is written thousands of times. */
const groupings = new Map<string, Grouping>();

function grouped(node: AggregateNode, mode: Grouping['mode'], labels: readonly string[]): AggregateNode {
  const unique = [...new Set(labels)];
  const grouping = interned(groupings, labelsKey([mode, ...unique]), () =>
    Object.freeze({ mode, labels: Object.freeze(unique) }),
  );
  return { ...node, grouping };
}

/**
 * `sum`, `avg`, `count`…: without grouping the result has no labels; `.by(…)` keeps only the labels
 * named (which the input must have), `.without(…)` drops them. `X` are labels the operator adds; `K` is
 * the output's sample kind (a histogram for `sum`/`avg` of native histograms, a float otherwise).
 */
export class Aggregate<
  L extends string,
  X extends string = never,
  K extends SampleKind = 'gauge',
> extends InstantVector<X, K> {
  declare readonly node: AggregateNode;
  private readonly input: InstantVector<L>;

  constructor(node: AggregateNode, input: InstantVector<L>, added: readonly X[] = [], kind = 'gauge' as K) {
    super(node, added, kind, input.specs);
    this.input = input;
  }

  by<const G extends L>(...labels: G[]): InstantVector<G | X, K> {
    const node = grouped(this.node, 'by', labels);
    checkGrouping(this.input, node.grouping!, this.node.op);
    return new InstantVector(node, [...labels, ...this.labels], this.kind, this.input.specs);
  }

  without<const G extends L>(...labels: G[]): InstantVector<Exclude<L, G> | X, K> {
    const node = grouped(this.node, 'without', labels);
    checkGrouping(this.input, node.grouping!, this.node.op);
    const kept = this.input.labels.filter(
      (l): l is Exclude<L, G> => !(labels as readonly string[]).includes(l),
    );
    return new InstantVector(node, [...kept, ...this.labels], this.kind, this.input.specs);
  }
}

/** `topk`/`bottomk`: selects series, so the output keeps every input label whatever the grouping. */
export class Ranked<L extends string, K extends SampleKind> extends InstantVector<L, K> {
  declare readonly node: AggregateNode;

  by<const G extends L>(...labels: G[]): InstantVector<L, K> {
    const node = grouped(this.node, 'by', labels);
    checkGrouping(this, node.grouping!, this.node.op);
    return new InstantVector(node, this.labels, this.kind, this.specs);
  }

  without<const G extends L>(...labels: G[]): InstantVector<L, K> {
    const node = grouped(this.node, 'without', labels);
    checkGrouping(this, node.grouping!, this.node.op);
    return new InstantVector(node, this.labels, this.kind, this.specs);
  }
}

function aggregate(op: AggregateOp) {
  return <L extends string>(input: InstantVector<L>): Aggregate<L> =>
    new Aggregate({ type: 'aggregate', op, expr: input.node }, input);
}

/** `sum`/`avg` of native histograms add them bucket by bucket: the result is a histogram again. */
export type SumKind<K extends SampleKind> = K extends 'counter-histogram' | 'gauge-histogram'
  ? 'gauge-histogram'
  : 'gauge';

function histogramPreservingAggregate(op: 'sum' | 'avg') {
  return <L extends string, K extends SampleKind>(
    input: InstantVector<L, K>,
  ): Aggregate<L, never, SumKind<K>> =>
    new Aggregate(
      { type: 'aggregate', op, expr: input.node },
      input,
      [],
      (isHistogramKind(input.kind) ? 'gauge-histogram' : 'gauge') as SumKind<K>,
    );
}

export const sum = histogramPreservingAggregate('sum');
export const avg = histogramPreservingAggregate('avg');
export const min = aggregate('min');
export const max = aggregate('max');
export const count = aggregate('count');
export const group = aggregate('group');
export const stddev = aggregate('stddev');
export const stdvar = aggregate('stdvar');

/** `quantile(φ, v)`: the φ-quantile across series (0 ≤ φ ≤ 1). */
export function quantile<L extends string>(phi: ScalarLike, input: InstantVector<L>): Aggregate<L> {
  return new Aggregate(
    { type: 'aggregate', op: 'quantile', param: scalarNode(phi), expr: input.node },
    input,
  );
}

/** `count_values("label", v)`: counts series per value, writing the value into `label`. */
export function countValues<const D extends string, L extends string>(
  label: D,
  input: InstantVector<L>,
): Aggregate<L, D> {
  const node: AggregateNode = {
    type: 'aggregate',
    op: 'count_values',
    param: { type: 'string', value: label },
    expr: input.node,
  };
  return new Aggregate(node, input, [label]);
}

function ranked(op: 'topk' | 'bottomk') {
  return <L extends string, K extends SampleKind>(k: ScalarLike, input: InstantVector<L, K>): Ranked<L, K> =>
    new Ranked(
      { type: 'aggregate', op, param: scalarNode(k), expr: input.node },
      input.labels,
      input.kind,
      input.specs,
    );
}

/** `topk(k, v)`: the k largest series (per group with `.by(…)`). */
export const topk = ranked('topk');
/** `bottomk(k, v)`: the k smallest series (per group with `.by(…)`). */
export const bottomk = ranked('bottomk');
