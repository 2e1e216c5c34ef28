/**
 * The PromQL syntax tree as the upstream Prometheus parser builds it, rendered by our Go shim.
 * Positions are `[start, end)` offsets in UTF-16 code units of the parsed string (JavaScript string
 * indices); durations are milliseconds.
 */

/** What an expression evaluates to, named as Prometheus names it (`vector` = instant vector, `matrix` = range vector). */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A half-open range `[start, end)` of UTF-16 code units in the parsed string. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

interface NodeBase extends Span {
  /** The value type upstream's `Type()` gives this node. */
  readonly valueType: ValueType;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** `@ 1609746000` (milliseconds since the epoch) or `@ start()` / `@ end()`. */
export type AtModifier = number | 'start' | 'end';

/**
 * Set on selectors and subqueries only by `parseDashboardQuery`: the Grafana variable (e.g.
 * `__rate_interval`) that stood where this node's range, step or offset is.
 */
export interface DashboardDurations {
  readonly rangeVariable?: string;
  readonly stepVariable?: string;
  readonly offsetVariable?: string;
}

/** `metric{label="value"}`. The metric name also appears as a `__name__` matcher, as upstream keeps it. */
export interface VectorSelector extends NodeBase, DashboardDurations {
  readonly type: 'VectorSelector';
  /** Empty for `{__name__=~"…"}`-style selectors. */
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
  /** `offset 5m` in ms (negative for `offset -5m`); absent when there is no literal offset. */
  readonly offset?: number;
  /** `offset (1h + step())`: a duration expression. */
  readonly offsetExpr?: DurationNode;
  readonly at?: AtModifier;
  readonly anchored?: true;
  readonly smoothed?: true;
}

/** `selector[5m]`. Offset and `@` of a range selector live on its vector selector, as upstream. */
export interface MatrixSelector extends NodeBase, DashboardDurations {
  readonly type: 'MatrixSelector';
  readonly selector: VectorSelector;
  /** The range in ms, when given as a literal. */
  readonly range?: number;
  /** The range, when given as a duration expression. */
  readonly rangeExpr?: DurationNode;
}

/** `expr[30m:1m]`. */
export interface Subquery extends NodeBase, DashboardDurations {
  readonly type: 'Subquery';
  readonly expr: Expr;
  readonly range?: number;
  readonly rangeExpr?: DurationNode;
  /** Absent when the step is left to the evaluation interval (`[30m:]`). */
  readonly step?: number;
  readonly stepExpr?: DurationNode;
  readonly offset?: number;
  readonly offsetExpr?: DurationNode;
  readonly at?: AtModifier;
}

export interface Call extends NodeBase {
  readonly type: 'Call';
  readonly func: string;
  readonly args: readonly Expr[];
}

export type AggregateOp =
  | 'avg'
  | 'bottomk'
  | 'count'
  | 'count_values'
  | 'group'
  | 'limit_ratio'
  | 'limitk'
  | 'max'
  | 'min'
  | 'quantile'
  | 'stddev'
  | 'stdvar'
  | 'sum'
  | 'topk';

export interface Aggregate extends NodeBase {
  readonly type: 'Aggregate';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The parameter of `topk`, `quantile`, `count_values`, `limitk`, `limit_ratio`. */
  readonly param?: Expr;
  /** The labels of `by (…)`, or of `without (…)` when `without` is true. Upstream does not tell `sum(x)` from `sum by () (x)`. */
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** How the two vectors of a binary operation are matched: `on`/`ignoring`, `group_left`/`group_right`, `fill`. */
export interface VectorMatching {
  readonly cardinality: Cardinality;
  /** True for `on (labels)`, false for `ignoring (labels)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** The extra labels of `group_left (…)` / `group_right (…)`. */
  readonly include: readonly string[];
  /** `fill(…)`, `fill_left(…)`, `fill_right(…)` values (experimental binop fill modifiers). */
  readonly fill?: { readonly lhs?: number; readonly rhs?: number };
}

export interface Binary extends NodeBase {
  readonly type: 'Binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** The `bool` modifier of a comparison. */
  readonly bool: boolean;
  /** Present when both sides are vectors. */
  readonly matching?: VectorMatching;
}

export interface Unary extends NodeBase {
  readonly type: 'Unary';
  readonly op: '+' | '-';
  readonly expr: Expr;
}

export interface Paren extends NodeBase {
  readonly type: 'Paren';
  readonly expr: Expr;
}

export interface NumberLiteral extends NodeBase {
  readonly type: 'Number';
  /** The number; a duration written as a number (`5m` in `time() - 5m`) is in seconds, as PromQL evaluates it. */
  readonly value: number;
  /** Written as a duration (`5m`) rather than a number. */
  readonly duration?: true;
  /** Set only by `parseDashboardQuery`: the Grafana variable this number stands for (e.g. `__range_s`). */
  readonly variable?: string;
}

export interface StringLiteral extends NodeBase {
  readonly type: 'String';
  readonly value: string;
}

/** Duration arithmetic (`[5m + step()]`, experimental duration expressions). Operands are seconds. */
export interface DurationBinary extends NodeBase {
  readonly type: 'DurationBinary';
  readonly op: '+' | '-' | '*' | '/' | '%' | '^';
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** Written in parentheses. */
  readonly wrapped: boolean;
}

export interface DurationUnary extends NodeBase {
  readonly type: 'DurationUnary';
  readonly op: '+' | '-';
  readonly expr: Expr;
  readonly wrapped: boolean;
}

/** `step()`, `range()`, `min_of(a, b)`, `max_of(a, b)` inside a duration expression. */
export interface DurationCall extends NodeBase {
  readonly type: 'DurationCall';
  readonly func: 'step' | 'range' | 'min_of' | 'max_of';
  readonly args: readonly Expr[];
  readonly wrapped: boolean;
}

export type DurationNode = DurationBinary | DurationUnary | DurationCall;

export type Expr =
  | Aggregate
  | Binary
  | Call
  | DurationBinary
  | DurationCall
  | DurationUnary
  | MatrixSelector
  | NumberLiteral
  | Paren
  | StringLiteral
  | Subquery
  | Unary
  | VectorSelector;

/** Any node of the tree; every node is an expression in PromQL. */
export type Node = Expr;
export type NodeType = Node['type'];

/** A syntax or type error exactly as the upstream parser reports it. */
export interface PromQLError extends Span {
  readonly message: string;
  /** 1-based line of `start`. */
  readonly line: number;
  /** 1-based column of `start` in UTF-16 code units (equal to upstream's byte column for ASCII input). */
  readonly column: number;
}

export type ParseResult =
  | { readonly ok: true; readonly expr: Node; readonly type: ValueType }
  | { readonly ok: false; readonly errors: readonly PromQLError[] };
