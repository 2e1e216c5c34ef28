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

/** A node's ancestors as a chain up to the root, shared by every visit below the node. */
interface Chain {
  readonly node: Node;
  readonly up: Chain | undefined;
}

/** A found node; its ancestors are copied out of the shared chain only when a check reads them. */
class FoundVisit<N extends Node> implements Visit<N> {
  constructor(
    readonly expression: Expression,
    readonly node: N,
    private readonly chain: Chain | undefined,
  ) {}

  get ancestors(): readonly Node[] {
    const ancestors: Node[] = [];
    for (let link = this.chain; link; link = link.up) ancestors.push(link.node);
    return ancestors.reverse();
  }
}

function walkFor<K extends Node['type']>(type: K, expressions: readonly Expression[]): Visit<NodeOf<K>>[] {
  const found: Visit<NodeOf<K>>[] = [];
  for (const expression of expressions) {
    if (!expression.parsed.ok) continue;
    // chains[i] links ancestors[i] up to the root, made when a found node first needs it. A copy of
    // the ancestors per found node was most of what a project's walks kept.
    const chains: Chain[] = [];
    walk(expression.parsed.expr, (node, ancestors) => {
      if (node.type !== type) return;
      let valid = ancestors.length;
      while (valid > 0 && chains[valid - 1]?.node !== ancestors[valid - 1]) valid--;
      for (let i = valid; i < ancestors.length; i++) chains[i] = { node: ancestors[i]!, up: chains[i - 1] };
      found.push(new FoundVisit(expression, node as NodeOf<K>, chains[ancestors.length - 1]));
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
