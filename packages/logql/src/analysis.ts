/**
 * What the lint checks and the rule builders read from a query that parses: its line filters, its range
 * aggregations and the labels its result keeps. Positions are those of the query as written.
 */
import { parser } from '@grafana/lezer-logql';
import { type Span, type SyntaxNode, unquote, withPlaceholders } from './parse.ts';

export type LineFilterOperator = '|=' | '!=' | '|~' | '!~' | '|>' | '!>';

export interface LineFilter extends Span {
  readonly operator: LineFilterOperator;
  /** The unquoted strings, the first and those after `or` (`|= "a" or "b"` keeps lines with either). */
  readonly values: readonly string[];
}

export interface RangeAggregation extends Span {
  /** `rate`, `count_over_time`, `bytes_over_time`, … */
  readonly operation: string;
  /** The range as written between the brackets (`5m`, `$__auto`). */
  readonly range: string;
  readonly rangeSpan: Span;
}

function tree(query: string) {
  return parser.parse(withPlaceholders(query));
}

/** Every node named `name` under (and including) `node`, in the order written. */
function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const walk = (at: SyntaxNode) => {
    if (at.name === name) found.push(at);
    for (let child = at.firstChild; child; child = child.nextSibling) walk(child);
  };
  walk(node);
  return found;
}

/** Stages after which a line filter reads another line than the one before them. */
const REWRITES_LINE = new Set(['LineFormatExpr', 'DecolorizeExpr']);

/**
 * The line filters of each pipeline, in the order Loki applies them, cut where a stage rewrites the
 * line (`line_format`, `decolorize`): the filters of one chain all read the same line.
 */
export function lineFilterChains(query: string): LineFilter[][] {
  const chains: LineFilter[][] = [];
  const top = tree(query).topNode;
  for (const pipeline of descendants(top, 'PipelineExpr')) {
    // PipelineExpr nests to the left: the outermost one of a pipeline holds all its stages.
    if (pipeline.parent?.name === 'PipelineExpr') continue;
    let chain: LineFilter[] = [];
    for (const stage of descendants(pipeline, 'PipelineStage')) {
      if (stage.getChild('Pipe') && REWRITES_LINE.has(stage.lastChild?.name ?? '')) {
        if (chain.length > 0) chains.push(chain);
        chain = [];
      }
      for (const filter of descendants(stage, 'LineFilter')) {
        const operator = filter.getChild('Filter');
        const first = filter.getChild('String');
        if (!operator || !first) continue;
        const alternatives = filter.getChildren('OrFilter').flatMap((or) => or.getChildren('String'));
        chain.push({
          operator: query.slice(operator.from, operator.to) as LineFilterOperator,
          values: [first, ...alternatives].map((s) => unquote(query.slice(s.from, s.to))),
          start: filter.from,
          end: filter.to,
        });
      }
    }
    if (chain.length > 0) chains.push(chain);
  }
  return chains;
}

/** The range aggregations (`rate({…}[5m])`, `count_over_time(…)`) of a query, in the order written. */
export function rangeAggregations(query: string): RangeAggregation[] {
  return descendants(tree(query).topNode, 'RangeAggregationExpr').flatMap((node) => {
    const operation = node.getChild('RangeOp');
    const range = node.getChild('LogRangeExpr')?.getChild('Range');
    if (!operation || !range) return [];
    return [
      {
        operation: query.slice(operation.from, operation.to),
        range: query.slice(range.from + 1, range.to - 1).trim(),
        rangeSpan: { start: range.from, end: range.to },
        start: node.from,
        end: node.to,
      },
    ];
  });
}

function groupingLabels(grouping: SyntaxNode, query: string): string[] | undefined {
  if (!grouping.getChild('By')) return undefined;
  const labels = grouping.getChild('Labels');
  return labels ? descendants(labels, 'Identifier').map((id) => query.slice(id.from, id.to)) : [];
}

function kept(node: SyntaxNode, query: string): readonly string[] | undefined {
  switch (node.name) {
    case 'LogQL':
    case 'Expr':
    case 'MetricExpr':
      return node.firstChild ? kept(node.firstChild, query) : undefined;
    case 'LiteralExpr':
    case 'VectorExpr':
      return [];
    case 'VectorAggregationExpr': {
      const grouping = node.getChild('Grouping');
      return grouping ? groupingLabels(grouping, query) : [];
    }
    case 'RangeAggregationExpr': {
      const grouping = node.getChild('Grouping');
      return grouping ? groupingLabels(grouping, query) : undefined;
    }
    case 'BinOpExpr': {
      // Comparisons, filters and one-to-one arithmetic keep the labels of the left-hand side; a literal
      // on the left gives the right-hand side's.
      const [lhs, rhs] = node.getChildren('Expr');
      const left = lhs ? kept(lhs, query) : undefined;
      if (left && left.length === 0 && rhs && isLiteral(lhs!)) return kept(rhs, query);
      return left;
    }
    default:
      return undefined;
  }
}

function isLiteral(expr: SyntaxNode): boolean {
  return descendants(expr, 'Selector').length === 0 && descendants(expr, 'VectorExpr').length === 0;
}

/**
 * The labels every series of a metric query's result carries, when the query fixes them: the `by` of
 * its outermost aggregation (`sum by (service) (…) > 10` keeps `service`), none for an aggregation
 * without grouping. Undefined when they depend on the streams or on what a parser extracts
 * (`without`, a bare `rate({…}[5m])`, `label_replace`), or for a log query.
 */
export function keptLabels(query: string): readonly string[] | undefined {
  return kept(tree(query).topNode, query);
}

/** Whether a query returns samples (`rate(…)`, `sum(…) > 1`), not log lines: only those can be rules. */
export function isMetricQuery(query: string): boolean {
  return tree(query).topNode.firstChild?.firstChild?.name === 'MetricExpr';
}
