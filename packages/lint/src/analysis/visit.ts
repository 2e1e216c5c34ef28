import { walk } from '@o11y/promql';
import type { Expression, LintProject } from '../project.ts';
import type { Node, NodeOf } from './ast.ts';
import { push } from './shape.ts';

export interface Visit<N extends Node> {
  readonly expression: Expression;
  readonly node: N;
  /** Outermost first. */
  readonly ancestors: readonly Node[];
}

/** Every node of each kind in a project's parsed expressions, found in one walk when a check first asks. */
const found = new WeakMap<LintProject, ReadonlyMap<Node['type'], readonly Visit<Node>[]>>();

const NONE: readonly Visit<Node>[] = [];

/**
 * Every node of one kind in the project's parsed expressions (or in `expressions` only), with its
 * expression and ancestors, in source order. The checks ask for five kinds: one walk finds them all
 * (a walk per kind was 1.3 s of lint at 1,000 services).
 */
export function nodesOf<K extends Node['type']>(
  project: LintProject,
  type: K,
  expressions?: readonly Expression[],
): readonly Visit<NodeOf<K>>[] {
  let byType = expressions ? walkFor(expressions, type) : found.get(project);
  if (!byType) {
    byType = walkFor(project.expressions);
    found.set(project, byType);
  }
  return (byType.get(type) ?? NONE) as readonly Visit<NodeOf<K>>[];
}

/**
 * A found node. Its ancestors are found again when a check reads them (two checks do, for some
 * nodes): keeping a copy per found node, or a chain of them, was most of what a project's walks kept.
 */
class FoundVisit<N extends Node> implements Visit<N> {
  constructor(
    readonly expression: Expression,
    readonly node: N,
  ) {}

  get ancestors(): readonly Node[] {
    let path: readonly Node[] | undefined;
    const { parsed } = this.expression;
    if (parsed.ok)
      walk(parsed.expr, (node, ancestors) => {
        if (path) return false;
        if (node === this.node) path = [...ancestors];
      });
    return path ?? [];
  }
}

/** The nodes of these expressions by kind; of the one kind `only` when given. */
function walkFor(expressions: readonly Expression[], only?: Node['type']): Map<Node['type'], Visit<Node>[]> {
  const byType = new Map<Node['type'], Visit<Node>[]>();
  for (const expression of expressions) {
    if (!expression.parsed.ok) continue;
    walk(expression.parsed.expr, (node) => {
      if (only === undefined || node.type === only) push(byType, node.type, new FoundVisit(expression, node));
    });
  }
  return byType;
}

/** The node under any parentheses. */
export function unwrap(node: Node): Node {
  return node.type === 'Paren' ? unwrap(node.expr) : node;
}

/**
 * Whether a dashboard query wrote a Grafana variable where this selector has `value`: the parser
 * only saw a placeholder there, so the value says nothing about the catalogue.
 */
export function fromVariable(
  expression: Expression,
  selector: NodeOf<'VectorSelector'>,
  value: string,
): boolean {
  const parsed = expression.parsed;
  if (!('variables' in parsed)) return false;
  const inside = parsed.variables.filter((use) => use.start >= selector.start && use.end <= selector.end);
  if (inside.length === 0) return false;
  const at = parsed.parsedText.indexOf(value, selector.start);
  return at >= 0 && at < selector.end && expression.text.slice(at, at + value.length) !== value;
}
