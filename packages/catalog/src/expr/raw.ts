import { type Node, type RawNode, type SampleKind, walk } from './ast.ts';
import { type Expr, fail, InstantVector, RangeVector, Scalar } from './vector.ts';

interface RawOptions<L extends string, K extends SampleKind> {
  /** The labels the expression returns (for legends, `by`, matching); you vouch for them. */
  readonly labels: readonly L[];
  readonly kind?: K;
}

/**
 * Escape hatch for PromQL the typed layer cannot express. It is printed verbatim (in parentheses where
 * precedence could change its meaning), parsed by the wasm binding like every query, and flagged by lint.
 */
/** Without options: an instant vector of gauges whose labels you do not vouch for (legends and `by` cannot name them). */
export function raw(promql: string): InstantVector<never, 'gauge'>;
export function raw<const L extends string = never, K extends SampleKind = 'gauge'>(
  promql: string,
  options: RawOptions<L, K> & { readonly type?: 'vector' },
): InstantVector<L, NoInfer<K>>;
export function raw<const L extends string = never, K extends SampleKind = 'gauge'>(
  promql: string,
  options: RawOptions<L, K> & { readonly type: 'matrix' },
): RangeVector<L, NoInfer<K>>;
export function raw(promql: string, options: { readonly type: 'scalar' }): Scalar;
export function raw(
  promql: string,
  options: {
    readonly type?: 'vector' | 'matrix' | 'scalar';
    readonly labels?: readonly string[];
    readonly kind?: SampleKind;
  } = {},
): Expr {
  if (typeof promql !== 'string' || promql.trim() === '')
    fail('raw() needs a PromQL expression', "pass the query as a string: raw('sum(up)')");
  const node: RawNode = { type: 'raw', promql: promql.trim() };
  const labels = options.labels ?? [];
  const kind = options.kind ?? 'gauge';
  if (options.type === 'scalar') return new Scalar(node);
  if (options.type === 'matrix') return new RangeVector(node, labels, kind);
  return new InstantVector(node, labels, kind);
}

/** The raw PromQL fragments inside an expression: lint flags each, the build parses each. */
export function rawFragments(expr: Expr | Node): string[] {
  const root = 'node' in expr ? expr.node : expr;
  return [...walk(root)].flatMap((node) => (node.type === 'raw' ? [node.promql] : []));
}

export function isRaw(expr: Expr | Node): boolean {
  return rawFragments(expr).length > 0;
}
