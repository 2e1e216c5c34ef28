import { compareCodePoints } from '@o11y/core';
import { type Node, walk } from '@o11y/promql';

/** How one imported expression uses one series: what it says about the series' type and labels. */
export interface SeriesUse {
  readonly series: string;
  /** Label names matched on this selector. */
  readonly matched: ReadonlySet<string>;
  /** Values of `job="…"` matchers on this selector. */
  readonly jobs: ReadonlySet<string>;
  /** Functions applied directly to the series' range (`rate`, `delta`, …). */
  readonly rangeFunctions: ReadonlySet<string>;
  /** Whether a `histogram_quantile`/`histogram_fraction` reads it. */
  readonly bucketFunction: boolean;
}

/** Every labelled use of every named series in an expression, and the labels the expression names anywhere. */
export interface ExpressionUses {
  readonly uses: readonly SeriesUse[];
  /** Labels named by grouping, vector matching and label functions, which every series of the expression may carry. */
  readonly labels: readonly string[];
}

const BUCKET_FUNCTIONS = new Set(['histogram_quantile', 'histogram_fraction']);
/** Functions whose second and later string arguments name source labels. */
const SOURCE_LABEL_ARGS: Readonly<Record<string, (args: readonly Node[]) => Node[]>> = {
  label_replace: (args) => (args[3] ? [args[3]] : []),
  label_join: (args) => args.slice(3),
};

export function expressionUses(root: Node): ExpressionUses {
  const uses: SeriesUse[] = [];
  const labels = new Set<string>();
  walk(root, (node, ancestors) => {
    if (node.type === 'Aggregate') for (const name of node.grouping) labels.add(name);
    if (node.type === 'Binary' && node.matching) {
      for (const name of [...node.matching.labels, ...node.matching.include]) labels.add(name);
    }
    if (node.type === 'Call') {
      for (const arg of SOURCE_LABEL_ARGS[node.func]?.(node.args) ?? []) {
        if (arg.type === 'String') labels.add(arg.value);
      }
    }
    if (node.type !== 'VectorSelector' || node.name === '') return;
    const parent = ancestors.at(-1);
    const rangeCall = parent?.type === 'MatrixSelector' ? ancestors.at(-2) : undefined;
    const matched = new Set<string>();
    const jobs = new Set<string>();
    for (const matcher of node.matchers) {
      if (matcher.name === '__name__') continue;
      matched.add(matcher.name);
      if (matcher.name === 'job' && matcher.op === '=') jobs.add(matcher.value);
    }
    uses.push({
      series: node.name,
      matched,
      jobs,
      rangeFunctions: new Set(rangeCall?.type === 'Call' ? [rangeCall.func] : []),
      bucketFunction: ancestors.some((a) => a.type === 'Call' && BUCKET_FUNCTIONS.has(a.func)),
    });
  });
  return { uses, labels: [...labels].sort(compareCodePoints) };
}
