import { walk } from '@o11y/promql';
import type { Expression, LintProject } from '../project.ts';
import type { Node, NodeOf } from './ast.ts';

export interface Visit<N extends Node> {
  readonly expression: Expression;
  readonly node: N;
  /** Outermost first. */
  readonly ancestors: readonly Node[];
}

/** What `nodesOf` found of each kind in all of a project's expressions: several checks ask for the same kind. */
const found = new WeakMap<LintProject, Map<Node['type'], readonly Visit<Node>[]>>();

/** Every node of one kind in the project's parsed expressions, with its expression and ancestors. */
export function nodesOf<K extends Node['type']>(
  project: LintProject,
  type: K,
  expressions?: readonly Expression[],
): readonly Visit<NodeOf<K>>[] {
  if (expressions) return walkFor(type, expressions);
  const byType = found.get(project) ?? new Map<Node['type'], readonly Visit<Node>[]>();
  found.set(project, byType);
  const visits = byType.get(type) ?? walkFor(type, project.expressions);
  byType.set(type, visits);
  return visits as readonly Visit<NodeOf<K>>[];
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

function walkFor<K extends Node['type']>(type: K, expressions: readonly Expression[]): Visit<NodeOf<K>>[] {
  const found: Visit<NodeOf<K>>[] = [];
  for (const expression of expressions) {
    if (!expression.parsed.ok) continue;
    walk(expression.parsed.expr, (node) => {
      if (node.type === type) found.push(new FoundVisit(expression, node as NodeOf<K>));
    });
  }
  return found;
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
