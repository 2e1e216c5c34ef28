/** PromQL's value types, as the Prometheus parser names them. */
export type ValueType = 'vector' | 'matrix' | 'scalar' | 'string';

/**
 * What the samples of an instant or range vector are: `counter` for raw counter series (the only float
 * samples `rate`/`increase`/`irate`/`resets` accept), `gauge` for every other float, including any
 * computed value. Native histogram samples are `counter-histogram` in a raw native histogram series
 * (cumulative, so `rate` applies) and `gauge-histogram` once computed (`rate`, `sum` of histograms), the
 * two counter-reset kinds Prometheus itself distinguishes.
 */
export type SampleKind = FloatKind | HistogramKind;
export type FloatKind = 'counter' | 'gauge';
export type HistogramKind = 'counter-histogram' | 'gauge-histogram';
/** The kinds `rate`, `irate`, `increase` and `resets` accept. */
export type CounterKind = 'counter' | 'counter-histogram';

export function isHistogramKind(kind: SampleKind): kind is HistogramKind {
  return kind === 'counter-histogram' || kind === 'gauge-histogram';
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values';

export interface SelectorNode {
  readonly type: 'selector';
  readonly metric: string;
  readonly matchers: readonly Matcher[];
  readonly offset?: string;
}

export interface MatrixNode {
  readonly type: 'matrix';
  readonly selector: SelectorNode;
  readonly range: string;
}

export interface SubqueryNode {
  readonly type: 'subquery';
  readonly expr: Node;
  readonly range: string;
  readonly step?: string;
  readonly offset?: string;
}

export interface NumberNode {
  readonly type: 'number';
  readonly value: number;
}

export interface StringNode {
  readonly type: 'string';
  readonly value: string;
}

export interface CallNode {
  readonly type: 'call';
  readonly func: string;
  readonly args: readonly Node[];
}

export interface Grouping {
  readonly mode: 'by' | 'without';
  readonly labels: readonly string[];
}

export interface AggregateNode {
  readonly type: 'aggregate';
  readonly op: AggregateOp;
  readonly param?: Node;
  readonly expr: Node;
  readonly grouping?: Grouping;
}

export interface VectorMatching {
  readonly mode: 'on' | 'ignoring';
  readonly labels: readonly string[];
  readonly group?: { readonly side: 'left' | 'right'; readonly include: readonly string[] };
}

export interface BinaryNode {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Node;
  readonly rhs: Node;
  readonly bool: boolean;
  readonly matching?: VectorMatching;
}

export interface UnaryNode {
  readonly type: 'unary';
  readonly expr: Node;
}

/** Hand-written PromQL from the escape hatch: printed verbatim, parsed by the wasm binding, flagged by lint. */
export interface RawNode {
  readonly type: 'raw';
  readonly promql: string;
}

export type Node =
  | SelectorNode
  | MatrixNode
  | SubqueryNode
  | NumberNode
  | StringNode
  | CallNode
  | AggregateNode
  | BinaryNode
  | UnaryNode
  | RawNode;

export const COMPARISON_OPS: readonly BinaryOp[] = ['==', '!=', '>', '<', '>=', '<='];
export const SET_OPS: readonly BinaryOp[] = ['and', 'or', 'unless'];

/**
 * Every node of a tree, depth first, parents before children. One generator and a stack, not one
 * generator per node: the builders walk every expression they make, and each level of a recursive
 * `yield*` allocated its own generator and passed every node below it up through each level.
 */
export function* walk(root: Node): Generator<Node> {
  const pending: Node[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    yield node;
    // Children pushed last first, so that they are taken in order.
    switch (node.type) {
      case 'matrix':
        pending.push(node.selector);
        break;
      case 'subquery':
      case 'unary':
        pending.push(node.expr);
        break;
      case 'call':
        for (let i = node.args.length - 1; i >= 0; i--) pending.push(node.args[i]!);
        break;
      case 'aggregate':
        pending.push(node.expr);
        if (node.param) pending.push(node.param);
        break;
      case 'binary':
        pending.push(node.rhs, node.lhs);
        break;
      default:
        break;
    }
  }
}
