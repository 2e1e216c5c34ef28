import * as q from '@o11y/catalog';
import { formatDuration } from '@o11y/core';
import type { Node } from '@o11y/promql';

/** An expression both as the TypeScript that builds it and as the value that code builds. */
export interface Typed {
  readonly code: string;
  readonly value: unknown;
  /** Names the code uses from `@o11y/catalog`. */
  readonly uses: ReadonlySet<string>;
}

/** Why an expression stays raw PromQL: the typed layer has no spelling for this part of it. */
export class NotTypable extends Error {
  override readonly name = 'NotTypable';
}

export interface TypingScope {
  /** The TypeScript expression and value selecting a series by name (`latency.bucket`), if declared. */
  series(name: string): { readonly code: string; readonly value: unknown } | undefined;
  /** A named constant for the number a comparison tests against (a threshold), if it should have one. */
  threshold?(value: number): string | undefined;
}

type Fn = (...args: unknown[]) => unknown;
const library = q as unknown as Record<string, Fn>;

/** PromQL function → the typed layer's function, where the argument order is the same. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  rate: 'rate',
  irate: 'irate',
  increase: 'increase',
  resets: 'resets',
  delta: 'delta',
  idelta: 'idelta',
  deriv: 'deriv',
  predict_linear: 'predictLinear',
  avg_over_time: 'avgOverTime',
  min_over_time: 'minOverTime',
  max_over_time: 'maxOverTime',
  sum_over_time: 'sumOverTime',
  count_over_time: 'countOverTime',
  last_over_time: 'lastOverTime',
  stddev_over_time: 'stddevOverTime',
  stdvar_over_time: 'stdvarOverTime',
  present_over_time: 'presentOverTime',
  changes: 'changes',
  quantile_over_time: 'quantileOverTime',
  abs: 'abs',
  ceil: 'ceil',
  floor: 'floor',
  sqrt: 'sqrt',
  exp: 'exp',
  ln: 'ln',
  log2: 'log2',
  log10: 'log10',
  sgn: 'sgn',
  timestamp: 'timestamp',
  sort: 'sort',
  sort_desc: 'sortDesc',
  round: 'round',
  clamp_min: 'clampMin',
  clamp_max: 'clampMax',
  clamp: 'clamp',
  histogram_quantile: 'histogramQuantile',
  histogram_fraction: 'histogramFraction',
  histogram_count: 'histogramCount',
  histogram_sum: 'histogramSum',
  histogram_avg: 'histogramAvg',
  histogram_stddev: 'histogramStddev',
  histogram_stdvar: 'histogramStdvar',
  absent: 'absent',
  absent_over_time: 'absentOverTime',
  label_replace: 'labelReplace',
  label_join: 'labelJoin',
  vector: 'vector',
  scalar: 'scalar',
  time: 'time',
};

const AGGREGATES: Readonly<Record<string, string>> = {
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
  count: 'count',
  group: 'group',
  stddev: 'stddev',
  stdvar: 'stdvar',
  quantile: 'quantile',
  count_values: 'countValues',
  topk: 'topk',
  bottomk: 'bottomk',
};

const BINARY_METHODS: Readonly<Record<string, string>> = {
  '+': 'plus',
  '-': 'minus',
  '*': 'times',
  '/': 'div',
  '%': 'mod',
  '^': 'pow',
  '==': 'eq',
  '!=': 'neq',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
  and: 'and',
  or: 'or',
  unless: 'unless',
};
/** Comparisons whose number operand is a threshold (equality tests a state, not a threshold). */
const THRESHOLD_COMPARISONS = new Set(['>', '>=', '<', '<=']);

const MATCHER_FUNCTIONS = { '!=': 'ne', '=~': 're', '!~': 'nre' } as const;

function numberCode(value: number): string {
  if (Number.isNaN(value)) return 'Number.NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Number.POSITIVE_INFINITY';
  if (value === Number.NEGATIVE_INFINITY) return 'Number.NEGATIVE_INFINITY';
  return String(value);
}

const str = (value: string) => JSON.stringify(value);
const isIdentifier = (name: string) => /^[A-Za-z_$][\w$]*$/.test(name);

function call(target: unknown, method: string, args: unknown[]): unknown {
  const fn = (target as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new NotTypable(`no ${method}() here`);
  return (fn as Fn).apply(target, args);
}

/**
 * Translates a parsed PromQL expression into calls of the typed layer, running each call so the
 * catalogue's own checks (rate of a gauge, a label the series lacks, `le` dropped before
 * `histogram_quantile`) decide whether the typed spelling holds. Throws `NotTypable` otherwise.
 */
export function toTyped(root: Node, scope: TypingScope): Typed {
  const uses = new Set<string>();
  const use = (name: string) => {
    uses.add(name);
    const fn = library[name];
    if (typeof fn !== 'function') throw new NotTypable(`the typed layer has no ${name}()`);
    return fn;
  };
  const scalarArg = (node: Node): Typed => {
    const inner = node.type === 'Paren' ? node.expr : node;
    if (inner.type === 'Number') return { code: numberCode(inner.value), value: inner.value, uses };
    return visit(inner);
  };
  const durationOf = (ms: number | undefined): string => {
    if (ms === undefined || ms < 0) throw new NotTypable('only literal, non-negative durations are typed');
    return formatDuration(ms);
  };

  const visit = (node: Node): Typed => {
    switch (node.type) {
      case 'Paren':
        return visit(node.expr);
      case 'Number':
        return { code: `num(${numberCode(node.value)})`, value: use('num')(node.value), uses };
      case 'VectorSelector': {
        if (node.at !== undefined || node.offsetExpr || node.anchored || node.smoothed) {
          throw new NotTypable('@, duration-expression offsets and range modifiers are not typed');
        }
        const found = node.name === '' ? undefined : scope.series(node.name);
        if (!found) throw new NotTypable(`series ${node.name || '{__name__…}'} is not in the catalogue`);
        let { code, value } = found;
        const matchers = node.matchers.filter(
          (m) => !(m.name === '__name__' && m.op === '=' && m.value === node.name),
        );
        if (matchers.length > 0) {
          const names = matchers.map((m) => m.name);
          if (new Set(names).size !== names.length || names.includes('__name__')) {
            throw new NotTypable('two matchers on one label, or a __name__ matcher');
          }
          const entries = matchers.map((m) => {
            const key = isIdentifier(m.name) ? m.name : str(m.name);
            if (m.op === '=') return { key, code: str(m.value), value: m.value as unknown, name: m.name };
            const fn = MATCHER_FUNCTIONS[m.op];
            return { key, code: `${fn}(${str(m.value)})`, value: use(fn)(m.value), name: m.name };
          });
          code = `${code}.select({ ${entries.map((e) => `${e.key}: ${e.code}`).join(', ')} })`;
          value = call(value, 'select', [Object.fromEntries(entries.map((e) => [e.name, e.value]))]);
        }
        if (node.offset !== undefined) {
          const offset = durationOf(node.offset);
          code = `${code}.offset(${str(offset)})`;
          value = call(value, 'offset', [offset]);
        }
        return { code, value, uses };
      }
      case 'MatrixSelector': {
        if (node.rangeExpr) throw new NotTypable('duration-expression ranges are not typed');
        const selector = visit(node.selector);
        const range = durationOf(node.range);
        return {
          code: `${selector.code}.range(${str(range)})`,
          value: call(selector.value, 'range', [range]),
          uses,
        };
      }
      case 'Subquery': {
        if (
          node.offset !== undefined ||
          node.offsetExpr ||
          node.at !== undefined ||
          node.rangeExpr ||
          node.stepExpr
        ) {
          throw new NotTypable('subquery offsets, @ and duration expressions are not typed');
        }
        const inner = visit(node.expr);
        const args = [durationOf(node.range), ...(node.step !== undefined ? [durationOf(node.step)] : [])];
        return {
          code: `${inner.code}.subquery(${args.map(str).join(', ')})`,
          value: call(inner.value, 'subquery', args),
          uses,
        };
      }
      case 'Call': {
        const name = FUNCTIONS[node.func];
        if (!name) throw new NotTypable(`${node.func}() has no typed spelling`);
        const fn = use(name);
        const args = node.args.map((arg) =>
          arg.type === 'String'
            ? { code: str(arg.value), value: arg.value as unknown, uses }
            : arg.type === 'Number' || (arg.type === 'Paren' && arg.expr.type === 'Number')
              ? scalarArg(arg)
              : visit(arg),
        );
        return {
          code: `${name}(${args.map((a) => a.code).join(', ')})`,
          value: fn(...args.map((a) => a.value)),
          uses,
        };
      }
      case 'Aggregate': {
        const name = AGGREGATES[node.op];
        if (!name) throw new NotTypable(`${node.op} has no typed spelling`);
        const fn = use(name);
        const inner = visit(node.expr);
        const param =
          node.param === undefined
            ? []
            : [
                node.param.type === 'String'
                  ? { code: str(node.param.value), value: node.param.value, uses }
                  : scalarArg(node.param),
              ];
        let code = `${name}(${[...param, inner].map((a) => a.code).join(', ')})`;
        let value = fn(...param.map((p) => p.value), inner.value);
        if (node.grouping.length > 0 || node.without) {
          const method = node.without ? 'without' : 'by';
          code = `${code}.${method}(${node.grouping.map(str).join(', ')})`;
          value = call(value, method, [...node.grouping]);
        }
        return { code, value, uses };
      }
      case 'Binary': {
        const method = BINARY_METHODS[node.op];
        if (!method) throw new NotTypable(`operator ${node.op} has no typed spelling`);
        const lhsNode = node.lhs.type === 'Paren' ? node.lhs.expr : node.lhs;
        if (lhsNode.type === 'Number' || lhsNode.valueType === 'scalar') {
          throw new NotTypable('a number on the left of an operator has no typed spelling');
        }
        const lhs = visit(node.lhs);
        const rhsNode = node.rhs.type === 'Paren' ? node.rhs.expr : node.rhs;
        let rhs: Typed;
        if (rhsNode.type === 'Number') {
          const constant =
            THRESHOLD_COMPARISONS.has(node.op) && !node.bool ? scope.threshold?.(rhsNode.value) : undefined;
          rhs = { code: constant ?? numberCode(rhsNode.value), value: rhsNode.value, uses };
        } else {
          rhs = visit(node.rhs);
        }
        let code = `${lhs.code}.${method}(${rhs.code})`;
        let value = call(lhs.value, method, [rhs.value]);
        if (node.bool) {
          code += '.bool()';
          value = call(value, 'bool', []);
        }
        const matching = node.matching;
        if (matching && (matching.on || matching.labels.length > 0)) {
          const how = matching.on ? 'on' : 'ignoring';
          code += `.${how}(${matching.labels.map(str).join(', ')})`;
          value = call(value, how, [...matching.labels]);
        }
        if (matching?.fill) throw new NotTypable('fill modifiers are not typed');
        if (matching && (matching.cardinality === 'many-to-one' || matching.cardinality === 'one-to-many')) {
          const group = matching.cardinality === 'many-to-one' ? 'groupLeft' : 'groupRight';
          code += `.${group}(${matching.include.map(str).join(', ')})`;
          value = call(value, group, [...matching.include]);
        }
        return { code, value, uses };
      }
      case 'Unary': {
        const inner = visit(node.expr);
        if (node.op === '+') return inner;
        return { code: `${inner.code}.negate()`, value: call(inner.value, 'negate', []), uses };
      }
      default:
        throw new NotTypable(`${node.type} has no typed spelling`);
    }
  };
  try {
    return visit(root);
  } catch (error) {
    if (error instanceof NotTypable) throw error;
    // The typed layer refused the construction (its own type checks): the expression stays raw.
    throw new NotTypable((error as Error).message.split('\n')[0] ?? 'refused by the typed layer');
  }
}
