import {
  captureSource,
  compareCodePoints,
  type Duration,
  formatDuration,
  O11yError,
  parseDuration,
} from '@o11y/core';
import { interned, labelsKey } from '../interned.ts';
import type { LabelSpec } from '../labels.ts';
import {
  type ArithmeticOp,
  type BinaryNode,
  type BinaryOp,
  COMPARISON_OPS,
  type ComparisonOp,
  type Node,
  type SampleKind,
  type SetOp,
  type ValueType,
} from './ast.ts';
import { printNode } from './print.ts';

/** Grafana's range macros, which the dashboard build substitutes before parsing. */
export type GrafanaRange = '$__rate_interval' | '$__interval' | '$__range';
/** A range or subquery window: a Prometheus duration (`5m`, `1h30m`) or a Grafana macro. */
export type Range = Duration | GrafanaRange;

/** What is known about the values of each output label (the catalogue's lists or estimates). */
export type LabelSpecs = Readonly<Record<string, LabelSpec>>;

/** Throws an error a user can act on, located at the first TypeScript line outside the o11y libraries. */
export function fail(message: string, hint?: string): never {
  throw new O11yError(message, { source: captureSource(), ...(hint !== undefined && { hint }) });
}

export function sortedLabels<L extends string>(labels: Iterable<L>): L[] {
  return [...new Set(labels)].sort(compareCodePoints);
}

/**
 * One frozen array per set of output labels: a large organisation's definitions make hundreds of
 * thousands of expressions with a few hundred label sets between them.
 */
const labelSets = new Map<string, readonly string[]>();
const internedLabelSets = new WeakSet<readonly string[]>();

/** `labels` sorted, unique and frozen: the one array of that label set. */
function frozenSortedLabels(labels: readonly string[]): readonly string[] {
  if (internedLabelSets.has(labels)) return labels;
  let sorted = labels;
  for (let i = 1; i < labels.length; i++)
    if (compareCodePoints(labels[i - 1]!, labels[i]!) >= 0) {
      sorted = sortedLabels(labels);
      break;
    }
  return interned(labelSets, labelsKey(sorted), () => {
    const set = Object.freeze(sorted === labels ? [...labels] : sorted);
    internedLabelSets.add(set);
    return set;
  });
}

/** The spec of a label, if `specs` has one of its own (a label may be called `constructor`). */
function specOf(specs: LabelSpecs, name: string): LabelSpec | undefined {
  return Object.hasOwn(specs, name) ? specs[name] : undefined;
}

/** Whether picking `labels` (sorted) from frozen `specs` would give the same keys in the same order. */
function picksEverySpec(specs: LabelSpecs, labels: readonly string[]): boolean {
  if (!Object.isFrozen(specs)) return false;
  let i = 0;
  for (const key in specs) {
    while (i < labels.length && labels[i] !== key) if (specOf(specs, labels[i++]!)) return false;
    if (i === labels.length || !specOf(specs, key)) return false;
    i++;
  }
  for (; i < labels.length; i++) if (specOf(specs, labels[i]!)) return false;
  return true;
}

export function pickSpecs(specs: LabelSpecs, labels: readonly string[]): LabelSpecs {
  // Most expressions keep every label their operand has specs for: its specs then serve unchanged.
  if (picksEverySpec(specs, labels)) return specs;
  const out: Record<string, LabelSpec> = {};
  for (const name of labels) {
    const spec = specOf(specs, name);
    if (spec) out[name] = spec;
  }
  return Object.freeze(out);
}

const GRAFANA_RANGES: readonly string[] = ['$__rate_interval', '$__interval', '$__range'];

/** The canonical spelling of a range (`90m` → `1h30m`); Grafana macros stay as written. */
export function canonicalRange(range: Range): string {
  if (GRAFANA_RANGES.includes(range)) return range;
  const ms = parseDuration(range);
  if (ms === 0) fail(`range "${range}" is empty`, 'use a positive duration such as 5m');
  return formatDuration(ms);
}

/** Any typed PromQL expression: its syntax tree, PromQL value type, output labels and sample kind. */
export abstract class Expr<T extends ValueType = ValueType> {
  abstract readonly type: T;
  // Declared, not defined: the constructor sets them. Defining them first (ES2022 class fields) on every
  // subclass's expressions took 0.4-0.5 s of the 5 s a 1,000-service organisation's definitions load in.
  declare readonly node: Node;
  /** Output label names (without `__name__`), sorted. */
  declare readonly labels: readonly string[];
  declare readonly kind: SampleKind;
  declare readonly specs: LabelSpecs;

  constructor(node: Node, labels: readonly string[], kind: SampleKind, specs: LabelSpecs) {
    this.node = node;
    // Most expressions keep their operand's labels: that frozen array is then shared, not copied.
    this.labels = frozenSortedLabels(labels);
    this.kind = kind;
    this.specs = pickSpecs(specs, this.labels);
  }

  toString(): string {
    return printNode(this.node);
  }
}

/** Canonical PromQL for an expression (the same as `String(expr)`). */
export function toPromQL(expr: Expr | Node): string {
  return printNode(expr instanceof Expr ? expr.node : expr);
}

export type ScalarLike = number | Scalar;

export function scalarNode(value: ScalarLike): Node {
  if (typeof value === 'number') return { type: 'number', value };
  return value.node;
}

/** A PromQL scalar: a number literal, `time()`, `scalar(v)`, or arithmetic on those. */
export class Scalar extends Expr<'scalar'> {
  readonly type = 'scalar' as const;

  constructor(node: Node) {
    super(node, [], 'gauge', {});
  }

  plus(other: ScalarLike): Scalar {
    return scalarOp(this, '+', other);
  }
  minus(other: ScalarLike): Scalar {
    return scalarOp(this, '-', other);
  }
  times(other: ScalarLike): Scalar {
    return scalarOp(this, '*', other);
  }
  div(other: ScalarLike): Scalar {
    return scalarOp(this, '/', other);
  }
  mod(other: ScalarLike): Scalar {
    return scalarOp(this, '%', other);
  }
  pow(other: ScalarLike): Scalar {
    return scalarOp(this, '^', other);
  }
}

function scalarOp(lhs: Scalar, op: ArithmeticOp, rhs: ScalarLike): Scalar {
  return new Scalar({ type: 'binary', op, lhs: lhs.node, rhs: scalarNode(rhs), bool: false });
}

/** A number literal as an expression (plain numbers are accepted wherever a scalar is). */
export function num(value: number): Scalar {
  return new Scalar({ type: 'number', value });
}

/**
 * An instant vector whose series carry the labels `L` (known at compile time and, in `labels`, at
 * runtime) and whose samples are of kind `K`.
 */
export class InstantVector<
  L extends string = string,
  K extends SampleKind = SampleKind,
> extends Expr<'vector'> {
  readonly type = 'vector' as const;
  declare readonly labels: readonly L[];
  declare readonly kind: K;

  constructor(node: Node, labels: readonly L[], kind: K, specs: LabelSpecs = {}) {
    super(node, labels, kind, specs);
  }

  plus(other: ScalarLike): InstantVector<L, 'gauge'>;
  plus<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  plus(other: ScalarLike | InstantVector): InstantVector<string, 'gauge'> {
    return arithmetic(this, '+', other);
  }
  minus(other: ScalarLike): InstantVector<L, 'gauge'>;
  minus<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  minus(other: ScalarLike | InstantVector): InstantVector<string, 'gauge'> {
    return arithmetic(this, '-', other);
  }
  times(other: ScalarLike): InstantVector<L, 'gauge'>;
  times<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  times(other: ScalarLike | InstantVector): InstantVector<string, 'gauge'> {
    return arithmetic(this, '*', other);
  }
  div(other: ScalarLike): InstantVector<L, 'gauge'>;
  div<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  div(other: ScalarLike | InstantVector): InstantVector<string, 'gauge'> {
    return arithmetic(this, '/', other);
  }
  mod(other: ScalarLike): InstantVector<L, 'gauge'>;
  mod<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  mod(other: ScalarLike | InstantVector): InstantVector<string, 'gauge'> {
    return arithmetic(this, '%', other);
  }
  pow(other: ScalarLike): InstantVector<L, 'gauge'>;
  pow<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  pow(other: ScalarLike | InstantVector): InstantVector<string, 'gauge'> {
    return arithmetic(this, '^', other);
  }

  /** `x == y`: keeps the series where the comparison holds (or 0/1 with `.bool()`). */
  eq(other: ScalarLike): Filtered<L, K>;
  eq<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  eq(other: ScalarLike | InstantVector): InstantVector {
    return compare(this, '==', other);
  }
  neq(other: ScalarLike): Filtered<L, K>;
  neq<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  neq(other: ScalarLike | InstantVector): InstantVector {
    return compare(this, '!=', other);
  }
  gt(other: ScalarLike): Filtered<L, K>;
  gt<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  gt(other: ScalarLike | InstantVector): InstantVector {
    return compare(this, '>', other);
  }
  gte(other: ScalarLike): Filtered<L, K>;
  gte<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  gte(other: ScalarLike | InstantVector): InstantVector {
    return compare(this, '>=', other);
  }
  lt(other: ScalarLike): Filtered<L, K>;
  lt<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  lt(other: ScalarLike | InstantVector): InstantVector {
    return compare(this, '<', other);
  }
  lte(other: ScalarLike): Filtered<L, K>;
  lte<R extends string>(other: InstantVector<R>): BinaryVector<L, R, L>;
  lte(other: ScalarLike | InstantVector): InstantVector {
    return compare(this, '<=', other);
  }

  /** `x and y`: the series of `x` that have a match in `y`. */
  and<R extends string>(other: InstantVector<R>): SetVector<L, R, L> {
    return setOperation(this, 'and', other, this.labels);
  }
  /** `x or y`: all series of `x`, plus those of `y` that have no match in `x`. */
  or<R extends string>(other: InstantVector<R>): SetVector<L, R, L | R> {
    return setOperation(this, 'or', other, [...this.labels, ...other.labels]);
  }
  /** `x unless y`: the series of `x` that have no match in `y`. */
  unless<R extends string>(other: InstantVector<R>): SetVector<L, R, L> {
    return setOperation(this, 'unless', other, this.labels);
  }

  /** `-x` */
  negate(): InstantVector<L, 'gauge'> {
    return new InstantVector({ type: 'unary', expr: this.node }, this.labels, 'gauge', this.specs);
  }

  /** `x[range:step]`: evaluates this expression over a window, for the `*_over_time` functions. */
  subquery(range: Range, step?: Range): RangeVector<L, 'gauge'> {
    const node: Node = {
      type: 'subquery',
      expr: this.node,
      range: canonicalRange(range),
      ...(step !== undefined && { step: canonicalRange(step) }),
    };
    return new RangeVector(node, this.labels, 'gauge', this.specs);
  }
}

/** A range vector (`x[5m]` or a subquery): the input of `rate`, `increase`, `*_over_time`. */
export class RangeVector<
  L extends string = string,
  K extends SampleKind = SampleKind,
> extends Expr<'matrix'> {
  readonly type = 'matrix' as const;
  declare readonly labels: readonly L[];
  declare readonly kind: K;

  constructor(node: Node, labels: readonly L[], kind: K, specs: LabelSpecs = {}) {
    super(node, labels, kind, specs);
  }
}

function operandNode(other: ScalarLike | InstantVector): Node {
  return other instanceof InstantVector ? other.node : scalarNode(other);
}

function binaryNode(lhs: InstantVector, op: BinaryOp, rhs: ScalarLike | InstantVector): BinaryNode {
  return { type: 'binary', op, lhs: lhs.node, rhs: operandNode(rhs), bool: false };
}

function arithmetic(lhs: InstantVector, op: ArithmeticOp, rhs: ScalarLike | InstantVector) {
  if (rhs instanceof InstantVector) return new BinaryVector(binaryNode(lhs, op, rhs), lhs, rhs, lhs.labels);
  return new InstantVector(binaryNode(lhs, op, rhs), lhs.labels, 'gauge', lhs.specs);
}

function compare(lhs: InstantVector, op: ComparisonOp, rhs: ScalarLike | InstantVector) {
  if (rhs instanceof InstantVector) return new BinaryVector(binaryNode(lhs, op, rhs), lhs, rhs, lhs.labels);
  return new Filtered(binaryNode(lhs, op, rhs), lhs.labels, lhs.kind, lhs.specs);
}

function setOperation<L extends string, R extends string, O extends string>(
  lhs: InstantVector<L>,
  op: SetOp,
  rhs: InstantVector<R>,
  labels: readonly O[],
): SetVector<L, R, O> {
  return new SetVector(binaryNode(lhs, op, rhs), lhs, rhs, labels);
}

/** `vector <op> scalar` comparison: filters series, or gives 0/1 with `.bool()`. */
export class Filtered<L extends string, K extends SampleKind> extends InstantVector<L, K> {
  declare readonly node: BinaryNode;

  /** `x > bool 1`: 1 where the comparison holds, 0 elsewhere, instead of filtering. */
  bool(): InstantVector<L, 'gauge'> {
    return new InstantVector({ ...this.node, bool: true }, this.labels, 'gauge', this.specs);
  }
}

function mergedSpecs(lhs: InstantVector, rhs: InstantVector): LabelSpecs {
  return { ...rhs.specs, ...lhs.specs };
}

function checkMatchingLabels(labels: readonly string[], allowed: (label: string) => boolean, what: string) {
  for (const label of labels) {
    if (!allowed(label)) fail(`${what} uses label "${label}", which the operands do not have`);
  }
}

/**
 * `vector <op> vector` before any matching modifier. Without `on`/`ignoring`, series match on all
 * their labels and the output keeps the left-hand side's labels.
 */
export class BinaryVector<L extends string, R extends string, O extends string> extends InstantVector<
  O,
  'gauge'
> {
  declare readonly node: BinaryNode;
  protected readonly lhs: InstantVector<L>;
  protected readonly rhs: InstantVector<R>;

  constructor(node: BinaryNode, lhs: InstantVector<L>, rhs: InstantVector<R>, labels: readonly O[]) {
    super(node, labels, 'gauge', mergedSpecs(lhs, rhs));
    this.lhs = lhs;
    this.rhs = rhs;
  }

  /** `on (…)`: match on these labels, present on both sides; one-to-one output keeps only them. */
  on<const M extends L & R>(...labels: M[]): MatchedVector<L, R, M> {
    checkMatchingLabels(
      labels,
      (l) => this.lhs.labels.includes(l as L) && this.rhs.labels.includes(l as R),
      'on',
    );
    return new MatchedVector({ ...this.node, matching: { mode: 'on', labels } }, this.lhs, this.rhs, labels);
  }

  /** `ignoring (…)`: match on all labels but these; one-to-one output drops them. */
  ignoring<const M extends L | R>(...labels: M[]): MatchedVector<L, R, Exclude<L, M>> {
    checkMatchingLabels(
      labels,
      (l) => this.lhs.labels.includes(l as L) || this.rhs.labels.includes(l as R),
      'ignoring',
    );
    const kept = this.lhs.labels.filter(
      (l): l is Exclude<L, M> => !(labels as readonly string[]).includes(l),
    );
    return new MatchedVector(
      { ...this.node, matching: { mode: 'ignoring', labels } },
      this.lhs,
      this.rhs,
      kept,
    );
  }

  /** `x > bool y`: 1 where the comparison holds, 0 elsewhere, instead of filtering. */
  bool(): this {
    if (!COMPARISON_OPS.includes(this.node.op)) fail(`bool applies to comparisons, not to "${this.node.op}"`);
    const Class = this.constructor as new (
      node: BinaryNode,
      lhs: InstantVector<L>,
      rhs: InstantVector<R>,
      labels: readonly O[],
    ) => this;
    return new Class({ ...this.node, bool: true }, this.lhs, this.rhs, this.labels);
  }
}

/** A binary operation with `on`/`ignoring`, which may add `group_left`/`group_right`. */
export class MatchedVector<L extends string, R extends string, O extends string> extends BinaryVector<
  L,
  R,
  O
> {
  /** Many-to-one: each left series matches one right series; copies `include` labels from the right. */
  groupLeft<const E extends R>(...include: E[]): InstantVector<L | E, 'gauge'> {
    return this.group('left', include, [...this.lhs.labels, ...include]);
  }

  /** One-to-many: each right series matches one left series; copies `include` labels from the left. */
  groupRight<const E extends L>(...include: E[]): InstantVector<R | E, 'gauge'> {
    return this.group('right', include, [...this.rhs.labels, ...include]);
  }

  private group<Out extends string>(side: 'left' | 'right', include: readonly string[], labels: Out[]) {
    const { matching } = this.node;
    if (!matching) return fail(`group_${side} needs on (…) or ignoring (…)`);
    const from = side === 'left' ? this.rhs : this.lhs;
    checkMatchingLabels(include, (l) => from.labels.includes(l as never), `group_${side}`);
    const node: BinaryNode = { ...this.node, matching: { ...matching, group: { side, include } } };
    return new InstantVector(node, labels, 'gauge', mergedSpecs(this.lhs, this.rhs));
  }
}

/** `and`/`or`/`unless`: `on`/`ignoring` choose the matching labels but never change the output labels. */
export class SetVector<L extends string, R extends string, O extends string> extends InstantVector<
  O,
  'gauge'
> {
  declare readonly node: BinaryNode;
  private readonly lhs: InstantVector<L>;
  private readonly rhs: InstantVector<R>;

  constructor(node: BinaryNode, lhs: InstantVector<L>, rhs: InstantVector<R>, labels: readonly O[]) {
    super(node, labels, 'gauge', mergedSpecs(lhs, rhs));
    this.lhs = lhs;
    this.rhs = rhs;
  }

  on<const M extends L & R>(...labels: M[]): SetVector<L, R, O> {
    checkMatchingLabels(
      labels,
      (l) => this.lhs.labels.includes(l as L) && this.rhs.labels.includes(l as R),
      'on',
    );
    return new SetVector({ ...this.node, matching: { mode: 'on', labels } }, this.lhs, this.rhs, this.labels);
  }

  ignoring<const M extends L | R>(...labels: M[]): SetVector<L, R, O> {
    checkMatchingLabels(
      labels,
      (l) => this.lhs.labels.includes(l as L) || this.rhs.labels.includes(l as R),
      'ignoring',
    );
    return new SetVector(
      { ...this.node, matching: { mode: 'ignoring', labels } },
      this.lhs,
      this.rhs,
      this.labels,
    );
  }
}
