import { compareCodePoints, flatString } from '@o11y/core';
import type { BinaryNode, BinaryOp, Matcher, Node, SelectorNode } from './ast.ts';

/**
 * Canonical PromQL, spelled the way Prometheus's own printer spells a parsed expression
 * (`sum by (a, b) (x)`, `a / on (x) group_left (y) b`, `x > bool 1`), with parentheses only where
 * operator precedence needs them and matchers sorted.
 */
export function printNode(node: Node): string {
  // Kept by the rules and queries that print it, to the end of the build: flat, not a tree of pieces.
  return flatString(print(node));
}

function print(node: Node): string {
  switch (node.type) {
    case 'selector':
      return printSelector(node) + printOffset(node.offset);
    case 'matrix':
      return `${printSelector(node.selector)}[${node.range}]${printOffset(node.selector.offset)}`;
    case 'subquery': {
      const inner = needsParensAsOperand(node.expr) ? `(${print(node.expr)})` : print(node.expr);
      return `${inner}[${node.range}:${node.step ?? ''}]${printOffset(node.offset)}`;
    }
    case 'number':
      return formatNumber(node.value);
    case 'string':
      return quote(node.value);
    case 'call':
      return `${node.func}(${node.args.map(print).join(', ')})`;
    case 'aggregate': {
      const grouping = node.grouping ? ` ${node.grouping.mode} (${node.grouping.labels.join(', ')}) ` : '';
      const param = node.param ? `${print(node.param)}, ` : '';
      return `${node.op}${grouping}(${param}${print(node.expr)})`;
    }
    case 'binary':
      return printBinary(node);
    case 'unary': {
      const operand = node.expr;
      const wrap = needsParensAsOperand(operand) && !(operand.type === 'binary' && operand.op === '^');
      return `-${wrap ? `(${print(operand)})` : print(operand)}`;
    }
    case 'raw':
      return node.promql;
  }
}

function printSelector(node: SelectorNode): string {
  if (node.matchers.length === 0) return node.metric;
  const matchers = node.matchers.map(printMatcher).sort(compareCodePoints);
  return `${node.metric}{${matchers.join(',')}}`;
}

function printMatcher(matcher: Matcher): string {
  return `${matcher.label}${matcher.op}${quote(matcher.value)}`;
}

function printOffset(offset: string | undefined): string {
  return offset === undefined ? '' : ` offset ${offset}`;
}

const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

function printBinary(node: BinaryNode): string {
  const precedence = PRECEDENCE[node.op];
  const rightAssociative = node.op === '^';
  const side = (child: Node, isLeft: boolean): string => {
    const text = print(child);
    if (child.type === 'binary') {
      const childPrecedence = PRECEDENCE[child.op];
      const sameLevelNeedsParens = rightAssociative ? isLeft : !isLeft;
      if (childPrecedence < precedence || (childPrecedence === precedence && sameLevelNeedsParens)) {
        return `(${text})`;
      }
      return text;
    }
    // `-a ^ b` is `-(a ^ b)`, so a negative left operand of `^` keeps its parentheses.
    if (rightAssociative && isLeft && isNegative(child)) return `(${text})`;
    if (child.type === 'raw') return `(${text})`;
    return text;
  };
  const bool = node.bool ? ' bool' : '';
  let matching = '';
  if (node.matching) {
    matching = ` ${node.matching.mode} (${node.matching.labels.join(', ')})`;
    if (node.matching.group) {
      matching += ` group_${node.matching.group.side} (${node.matching.group.include.join(', ')})`;
    }
  }
  return `${side(node.lhs, true)} ${node.op}${bool}${matching} ${side(node.rhs, false)}`;
}

function isNegative(node: Node): boolean {
  return node.type === 'unary' || (node.type === 'number' && (node.value < 0 || Object.is(node.value, -0)));
}

/** Operands that bind looser than a postfix `[range:step]` or a unary minus. */
function needsParensAsOperand(node: Node): boolean {
  return node.type === 'binary' || node.type === 'unary' || node.type === 'raw' || isNegative(node);
}

/**
 * A PromQL number literal as Prometheus prints it: `+Inf`, `-Inf`, `NaN`, else plain decimal notation
 * with the fewest digits that round-trip (`1e6` → `1000000`, `1e-7` → `0.0000001`).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  const text = String(value);
  if (!text.includes('e')) return text;
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A double-quoted PromQL string; JSON's escapes are a subset of the Go escapes PromQL accepts. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
