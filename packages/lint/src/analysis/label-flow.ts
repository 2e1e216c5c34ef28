import type { Node, NodeOf } from './ast.ts';
import { matcherRegex } from './regex.ts';
import type { Shape } from './shape.ts';

/** Whether the series an expression returns carry a label: always, never, or it depends on the data. */
export type Presence = 'always' | 'never' | 'maybe';

/** A label's presence at a node, and the aggregation that dropped it on the way (if one did). */
export interface LabelFlow {
  readonly presence: Presence;
  /** The `by`/`without` aggregation where the label was lost while its input could still carry it. */
  readonly droppedBy?: NodeOf<'Aggregate'>;
}

/** What the catalogue knows of a selector's series: a closed shape lists every label they carry. */
export type ShapeOf = (node: Node) => Shape;

const ALWAYS: LabelFlow = { presence: 'always' };
const NEVER: LabelFlow = { presence: 'never' };
const MAYBE: LabelFlow = { presence: 'maybe' };

/** Functions whose result has no labels at all. */
const LABELLESS = new Set(['vector', 'time', 'pi', 'scalar']);
/** Replacements that are the first regex group and nothing else. */
const COPY_FIRST_GROUP: ReadonlySet<string> = new Set(['$1', '$' + '{1}']);
/** Aggregations that return input series unchanged: their grouping only partitions. */
const SELECTING = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

function stringArg(node: Node | undefined): string | undefined {
  return node?.type === 'String' ? node.value : undefined;
}

/**
 * Follows one label through an expression as Prometheus evaluates it (promql/engine.go: resultMetric,
 * the aggregations and the functions): `on(…)` one-to-one keeps only the listed labels and
 * `ignoring(…)` drops them; `group_left(…)`/`group_right(…)` copy the listed labels from the "one" side
 * (deleting them where that side lacks them) and keep the "many" side's others; `and`/`unless` return
 * the left side unchanged; `or` returns either side's series; `by` keeps, `without` drops, `topk` and
 * friends keep everything, `count_values` adds its label; `label_replace`/`label_join` write their
 * destination (an empty value deletes it); `absent` has only its selector's equality matchers;
 * `histogram_quantile` drops `le`. A selector's series carry a label when it has a non-empty equality
 * matcher on it, or when the catalogue says so; for metrics the catalogue does not know (an open shape)
 * the answer is "maybe".
 */
export function labelFlow(node: Node, label: string, shapeOf: ShapeOf): LabelFlow {
  const flow = (child: Node): LabelFlow => labelFlow(child, label, shapeOf);
  switch (node.type) {
    case 'VectorSelector': {
      const equal = node.matchers.find((m) => m.name === label && m.op === '=');
      if (equal) return equal.value === '' ? NEVER : ALWAYS;
      const shape = shapeOf(node);
      if (shape.open) return MAYBE;
      return shape.labels.has(label) ? ALWAYS : NEVER;
    }
    case 'MatrixSelector':
      return flow(node.selector);
    case 'Subquery':
    case 'Paren':
    case 'Unary':
      return flow(node.expr);
    case 'Aggregate':
      return aggregateFlow(node, label, flow);
    case 'Call':
      return callFlow(node, label, shapeOf);
    case 'Binary':
      return binaryFlow(node, label, flow);
    default:
      return NEVER;
  }
}

function aggregateFlow(
  node: NodeOf<'Aggregate'>,
  label: string,
  flow: (child: Node) => LabelFlow,
): LabelFlow {
  if (node.op === 'count_values' && stringArg(node.param) === label) return ALWAYS;
  const input = flow(node.expr);
  const grouped = node.grouping.includes(label);
  if (SELECTING.has(node.op) || (node.without ? !grouped : grouped)) return input;
  if (input.presence === 'never') return input;
  return { presence: 'never', droppedBy: node };
}

function callFlow(node: NodeOf<'Call'>, label: string, shapeOf: ShapeOf): LabelFlow {
  if (LABELLESS.has(node.func)) return NEVER;
  if (node.func === 'absent' || node.func === 'absent_over_time') {
    const arg = node.args[0];
    const selector = arg?.type === 'MatrixSelector' ? arg.selector : arg;
    if (selector?.type !== 'VectorSelector') return NEVER;
    const equal = selector.matchers.filter((m) => m.name === label && m.op === '=');
    // Two equality matchers on one label leave it out of absent()'s result.
    return equal.length === 1 && equal[0]!.value !== '' ? ALWAYS : NEVER;
  }
  const input = node.args.find((arg) => arg.valueType === 'vector' || arg.valueType === 'matrix');
  if (!input) return NEVER;
  if (node.func === 'histogram_quantile' && label === 'le') return NEVER;
  if (node.func === 'label_replace' && stringArg(node.args[1]) === label)
    return replacedFlow(node, label, shapeOf);
  if (node.func === 'label_join' && stringArg(node.args[1]) === label) return joinedFlow(node, shapeOf);
  const before = labelFlow(input, label, shapeOf);
  // info() adds the data labels of matching info series, which depend on the data.
  if (node.func === 'info' && before.presence !== 'always') return MAYBE;
  return before;
}

/**
 * `label_replace(v, dst, replacement, src, regex)`: where the anchored regex matches the source value,
 * dst becomes the expanded replacement (an empty one deletes it); elsewhere dst is left as it was.
 */
function replacedFlow(node: NodeOf<'Call'>, label: string, shapeOf: ShapeOf): LabelFlow {
  const [input, , replacementNode, sourceNode, regexNode] = node.args;
  const replacement = stringArg(replacementNode);
  const source = stringArg(sourceNode);
  const regex = stringArg(regexNode);
  if (!input || replacement === undefined || source === undefined || regex === undefined) return MAYBE;
  const literal = !replacement.includes('$');
  // With no source label the value matched is "", which the regex matches or never does.
  const matchesAll =
    regex === '.*' || regex === '(.*)' || (source === '' && matcherRegex(regex)?.test('') === true);
  if (matchesAll && literal) return replacement === '' ? NEVER : ALWAYS;
  // `$1` of `(.*)` copies the source label: present exactly where the source is.
  if (regex === '(.*)' && COPY_FIRST_GROUP.has(replacement))
    return { presence: labelFlow(input, source, shapeOf).presence };
  if (literal && replacement !== '' && labelFlow(input, label, shapeOf).presence === 'always') return ALWAYS;
  return MAYBE;
}

/** `label_join(v, dst, separator, src…)`: the source values joined; an empty result deletes dst. */
function joinedFlow(node: NodeOf<'Call'>, shapeOf: ShapeOf): LabelFlow {
  const [input, , separatorNode, ...sourceNodes] = node.args;
  const separator = stringArg(separatorNode);
  const sources = sourceNodes.map(stringArg);
  if (!input || separator === undefined || sources.some((s) => s === undefined)) return MAYBE;
  if (separator !== '' && sources.length >= 2) return ALWAYS;
  const presences = sources.map((source) => labelFlow(input, source!, shapeOf).presence);
  if (presences.includes('always')) return ALWAYS;
  return presences.every((p) => p === 'never') ? NEVER : MAYBE;
}

/** `a or b`: present when both sides always carry it, absent when neither does. */
function either(a: LabelFlow, b: LabelFlow): LabelFlow {
  if (a.presence !== b.presence) return MAYBE;
  return a.droppedBy ? a : b;
}

function binaryFlow(node: NodeOf<'Binary'>, label: string, flow: (child: Node) => LabelFlow): LabelFlow {
  const lhsScalar = node.lhs.valueType === 'scalar';
  const rhsScalar = node.rhs.valueType === 'scalar';
  if (lhsScalar && rhsScalar) return NEVER;
  if (rhsScalar) return flow(node.lhs);
  if (lhsScalar) return flow(node.rhs);
  if (node.op === 'and' || node.op === 'unless') return flow(node.lhs);
  if (node.op === 'or') return either(flow(node.lhs), flow(node.rhs));
  const matching = node.matching;
  if (matching?.cardinality === 'many-to-one')
    return matching.include.includes(label) ? flow(node.rhs) : flow(node.lhs);
  if (matching?.cardinality === 'one-to-many')
    return matching.include.includes(label) ? flow(node.lhs) : flow(node.rhs);
  if (matching) {
    const listed = matching.labels.includes(label);
    if (matching.on ? !listed : listed) return NEVER;
  }
  return flow(node.lhs);
}
