import { compareCodePoints } from '@o11y/core';
import type { Aggregate, Node, VectorSelector } from './ast.ts';

/**
 * The direct children of a node, duration expressions included. A range selector's offset belongs to
 * its vector selector (as upstream models it), so it comes before the range.
 */
export function children(node: Node): Node[] {
  switch (node.type) {
    case 'Aggregate':
      // `topk(5, x)`, `count_values("l", x)`: the parameter is written first.
      return node.param ? [node.param, node.expr] : [node.expr];
    case 'Binary':
    case 'DurationBinary':
      return [node.lhs, node.rhs];
    case 'Call':
    case 'DurationCall':
      return [...node.args];
    case 'MatrixSelector':
      return present([node.selector, node.rangeExpr]);
    case 'Subquery':
      return present([node.expr, node.rangeExpr, node.stepExpr, node.offsetExpr]);
    case 'VectorSelector':
      return present([node.offsetExpr]);
    case 'DurationUnary':
    case 'Paren':
    case 'Unary':
      return [node.expr];
    case 'Number':
    case 'String':
      return [];
  }
}

function present(nodes: ReadonlyArray<Node | undefined>): Node[] {
  return nodes.filter((node): node is Node => node !== undefined);
}

/**
 * Depth-first, parents before children. `visit` gets the node and its ancestors (outermost first);
 * returning `false` skips the node's children (any other return value is ignored).
 */
export function walk(root: Node, visit: (node: Node, ancestors: readonly Node[]) => unknown): void {
  const ancestors: Node[] = [];
  const step = (node: Node) => {
    if (visit(node, ancestors) === false) return;
    ancestors.push(node);
    for (const child of children(node)) step(child);
    ancestors.pop();
  };
  step(root);
}

/** Every vector selector (also those inside range selectors and subqueries), in source order. */
export function selectors(root: Node): VectorSelector[] {
  const found: VectorSelector[] = [];
  walk(root, (node) => {
    if (node.type === 'VectorSelector') found.push(node);
  });
  return found;
}

/** The names of the functions called, sorted, each once. */
export function functionsUsed(root: Node): string[] {
  const names = new Set<string>();
  walk(root, (node) => {
    if (node.type === 'Call') names.add(node.func);
  });
  return [...names].sort(compareCodePoints);
}

/** Every aggregation (`sum by (…) (…)`, `topk(…)`, …), outer ones first. */
export function aggregations(root: Node): Aggregate[] {
  const found: Aggregate[] = [];
  walk(root, (node) => {
    if (node.type === 'Aggregate') found.push(node);
  });
  return found;
}
