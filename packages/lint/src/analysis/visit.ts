import { walk } from '@o11y/promql';
import type { Expression, LintProject } from '../project.ts';
import type { Node, NodeOf } from './ast.ts';

export interface Visit<N extends Node> {
  readonly expression: Expression;
  readonly node: N;
  /** Outermost first. */
  readonly ancestors: readonly Node[];
}

/** Every node of one kind in the project's parsed expressions, with its expression and ancestors. */
export function nodesOf<K extends Node['type']>(
  project: LintProject,
  type: K,
  expressions: readonly Expression[] = project.expressions,
): Visit<NodeOf<K>>[] {
  const found: Visit<NodeOf<K>>[] = [];
  for (const expression of expressions) {
    if (!expression.parsed.ok) continue;
    walk(expression.parsed.expr, (node, ancestors) => {
      if (node.type === type) found.push({ expression, node: node as NodeOf<K>, ancestors: [...ancestors] });
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
