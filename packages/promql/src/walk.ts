import { compareCodePoints } from '@o11y/core';
import type { Aggregate, Node, VectorSelector } from './ast.ts';

/**
 * Calls `visit` on each direct child of a node, duration expressions included, in source order: a
 * range selector's offset belongs to its vector selector (as upstream models it), so it comes before
 * the range. No list per node: a walk visits every node of every expression of a project.
 */
function eachChild(node: Node, visit: (child: Node) => void): void {
  switch (node.type) {
    case 'Aggregate':
      // `topk(5, x)`, `count_values("l", x)`: the parameter is written first.
      if (node.param) visit(node.param);
      visit(node.expr);
      return;
    case 'Binary':
    case 'DurationBinary':
      visit(node.lhs);
      visit(node.rhs);
      return;
    case 'Call':
    case 'DurationCall':
      for (const arg of node.args) visit(arg);
      return;
    case 'MatrixSelector':
      visit(node.selector);
      if (node.rangeExpr) visit(node.rangeExpr);
      return;
    case 'Subquery':
      visit(node.expr);
      for (const child of [node.rangeExpr, node.stepExpr, node.offsetExpr]) if (child) visit(child);
      return;
    case 'VectorSelector':
      if (node.offsetExpr) visit(node.offsetExpr);
      return;
    case 'DurationUnary':
    case 'Paren':
    case 'Unary':
      visit(node.expr);
      return;
    case 'Number':
    case 'String':
      return;
  }
}

/**
 * Depth-first, parents before children. `visit` gets the node and its ancestors (outermost first);
 * returning `false` skips the node's children (any other return value is ignored).
 */
export function walk(root: Node, visit: (node: Node, ancestors: readonly Node[]) => unknown): void {
  const ancestors: Node[] = [];
  const step = (node: Node): void => {
    if (visit(node, ancestors) === false) return;
    ancestors.push(node);
    eachChild(node, step);
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
