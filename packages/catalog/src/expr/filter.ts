import type { Node, SelectorNode } from './ast.ts';
import { type Match, Selector, seriesOfNode } from './selector.ts';
import { InstantVector } from './vector.ts';

/**
 * The same expression with `matchers` added to every selector whose series carry the label, however
 * deep: a dashboard variable such as `environment=~"$environment"` then filters a whole query (both
 * sides of a ratio, the alert expression a panel counts), never half of it. Selectors of series without
 * the label, and hand-written PromQL, are left as they are.
 *
 * `external` names labels every series carries where the query runs though the catalogue does not
 * declare them (`external_labels` such as `cluster`, seen by a central store): every selector's series
 * then carries them, so their matchers go on every selector (and `.select()`, `labelValues` and later
 * filters accept them).
 * A selector in gives a selector out.
 */
export function filterSelectors<S extends Selector>(
  expr: S,
  matchers: Readonly<Record<string, Match>>,
  options?: FilterOptions,
): S;
export function filterSelectors<L extends string, K extends InstantVector['kind']>(
  expr: InstantVector<L, K>,
  matchers: Readonly<Record<string, Match>>,
  options?: FilterOptions,
): InstantVector<L, K>;
export function filterSelectors<L extends string, K extends InstantVector['kind']>(
  expr: InstantVector<L, K>,
  matchers: Readonly<Record<string, Match>>,
  options: FilterOptions = {},
): InstantVector<L, K> {
  const entries = Object.entries(matchers);
  const external = options.external ?? [];
  if (entries.length === 0 && external.length === 0) return expr;
  const selector = (node: SelectorNode): SelectorNode => {
    const known = seriesOfNode(node);
    if (!known) return node;
    const carried = external.filter((label) => !known.labels.includes(label));
    const series = carried.length === 0 ? known : { ...known, labels: [...known.labels, ...carried].sort() };
    const added = entries
      .filter(([label]) => series.labels.includes(label))
      .map(([label, match]) => ({ label, op: match.op, value: match.value }));
    // A Selector registers its node's series, so lint and later filters still know what it reads.
    return added.length === 0 && carried.length === 0
      ? node
      : new Selector(series, { ...node, matchers: [...node.matchers, ...added] }).node;
  };
  const rewrite = (node: Node): Node => {
    switch (node.type) {
      case 'selector':
        return selector(node);
      case 'matrix':
        return { ...node, selector: selector(node.selector) };
      case 'subquery':
      case 'unary':
        return { ...node, expr: rewrite(node.expr) };
      case 'call':
        return { ...node, args: node.args.map(rewrite) };
      case 'aggregate':
        return { ...node, expr: rewrite(node.expr), ...(node.param && { param: rewrite(node.param) }) };
      case 'binary':
        return { ...node, lhs: rewrite(node.lhs), rhs: rewrite(node.rhs) };
      default:
        return node;
    }
  };
  const node = rewrite(expr.node);
  if (expr instanceof Selector && node.type === 'selector')
    return new Selector(seriesOfNode(node)!, node) as unknown as InstantVector<L, K>;
  return new InstantVector(node, expr.labels, expr.kind, expr.specs);
}

export interface FilterOptions {
  /** Labels added to every selector whether or not its series declares them (`external_labels`). */
  readonly external?: readonly string[];
}

/** Functions whose result carries no label of its input, so no per-label form of it exists. */
const LABELLESS_CALLS = new Set(['scalar', 'vector', 'absent', 'absent_over_time', 'time']);

/** A vector side that never carries a label an aggregation could keep (`vector(1)`, `absent(x)`). */
function labelless(node: Node): boolean {
  switch (node.type) {
    case 'number':
    case 'string':
      return true;
    case 'call':
      return LABELLESS_CALLS.has(node.func);
    case 'unary':
      return labelless(node.expr);
    case 'binary':
      return labelless(node.lhs) && labelless(node.rhs);
    default:
      return false;
  }
}

export interface KeptLabels {
  readonly node: Node;
  /**
   * What the labels could not be kept through (`scalar()`, `vector()`, `absent()`, raw PromQL): there the
   * expression still mixes every value of them, so it is not what it computes per value.
   */
  readonly unkept: readonly string[];
}

/**
 * The same expression evaluated per value of `labels` where every series carries them: each aggregation
 * keeps them (`sum by (service)` → `sum by (service, cluster)`, `sum(x)` → `sum by (cluster) (x)`) and
 * each `on (…)` between two sides that carry them matches on them too. How rules written for one cluster's
 * Prometheus, where `external_labels` are not seen, run in a central ruler, where every series has its
 * cluster. `scalar()`, `vector()`, `absent()`, `time()` and hand-written PromQL have no per-label form:
 * they are left as written and listed in `unkept`.
 */
export function keepLabels(node: Node, labels: readonly string[]): KeptLabels {
  const unkept = new Set<string>();
  if (labels.length === 0) return { node, unkept: [] };
  const also = (kept: readonly string[]) => [...kept, ...labels.filter((l) => !kept.includes(l))];
  const rewrite = (n: Node): Node => {
    switch (n.type) {
      case 'subquery':
      case 'unary':
        return { ...n, expr: rewrite(n.expr) };
      case 'call':
        if (LABELLESS_CALLS.has(n.func)) {
          if (n.func !== 'time') unkept.add(`${n.func}()`);
          return n;
        }
        return { ...n, args: n.args.map(rewrite) };
      case 'aggregate': {
        const grouping = n.grouping ?? { mode: 'by' as const, labels: [] };
        return {
          ...n,
          expr: rewrite(n.expr),
          ...(n.param && { param: rewrite(n.param) }),
          // `without` already keeps every label it does not name.
          grouping: grouping.mode === 'by' ? { mode: 'by', labels: also(grouping.labels) } : grouping,
        };
      }
      case 'binary': {
        const matching = n.matching;
        const bothCarry = !labelless(n.lhs) && !labelless(n.rhs);
        return {
          ...n,
          lhs: rewrite(n.lhs),
          rhs: rewrite(n.rhs),
          ...(matching && {
            matching:
              matching.mode === 'on' && bothCarry ? { ...matching, labels: also(matching.labels) } : matching,
          }),
        };
      }
      case 'raw':
        unkept.add('raw PromQL');
        return n;
      default:
        return n;
    }
  };
  return { node: rewrite(node), unkept: [...unkept].sort() };
}
