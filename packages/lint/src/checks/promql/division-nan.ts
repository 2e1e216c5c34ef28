import type { Node } from '../../analysis/ast.ts';
import { ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf, unwrap } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';
import type { LintProject } from '../../project.ts';

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
};
/** Functions whose result is never 0. */
const NEVER_ZERO = new Set(['count_over_time', 'absent', 'absent_over_time', 'time']);

/**
 * Whether a denominator can be 0: anything but a positive number, a count, an explicit guard, or a
 * series only recording rules of such expressions write (`instance:node_num_cpu:sum`, a count of CPUs).
 */
function canBeZero(node: Node, project: LintProject, following: ReadonlySet<string> = new Set()): boolean {
  const inner = unwrap(node);
  const recurse = (child: Node) => canBeZero(child, project, following);
  switch (inner.type) {
    case 'VectorSelector': {
      const name = ShapeResolver.metricName(inner);
      const recorders = name === undefined || following.has(name) ? [] : project.recordersOf(name);
      if (recorders.length === 0) return true;
      const next = new Set([...following, name!]);
      return recorders.some(
        ({ expression }) => !expression.parsed.ok || canBeZero(expression.parsed.expr, project, next),
      );
    }
    case 'Number':
      return inner.value === 0;
    case 'Aggregate':
      return inner.op !== 'count';
    case 'Call':
      if (NEVER_ZERO.has(inner.func)) return false;
      if (inner.func === 'clamp_min' || inner.func === 'clamp') {
        const min = inner.args[1] ? unwrap(inner.args[1]) : undefined;
        return !(min?.type === 'Number' && min.value > 0);
      }
      if (inner.func === 'vector' || inner.func === 'scalar')
        return inner.args[0] ? recurse(inner.args[0]) : true;
      return true;
    case 'Binary': {
      const number = unwrap(inner.rhs);
      // `x > 0`, `x != 0`: a filter that keeps a 0 only if 0 passes it.
      const compare = COMPARISONS[inner.op];
      if (compare && !inner.bool && number.type === 'Number') return compare(0, number.value);
      if (inner.op === 'or') return recurse(inner.lhs) || recurse(inner.rhs);
      return true;
    }
    default:
      return true;
  }
}

/** A comparison filter or an `and`/`unless` above the division drops NaN before it reaches the result. */
function guarded(ancestors: readonly Node[]): boolean {
  return ancestors.some(
    (a) => a.type === 'Binary' && ((a.op in COMPARISONS && !a.bool) || a.op === 'and' || a.op === 'unless'),
  );
}

export const divisionNaN = defineCheck({
  id: 'promql/division-nan',
  severity: 'warning',
  doc: `\`a / b\` is NaN when both sides are 0, typically an error ratio over a window with no traffic. A recorded
NaN poisons every average and SLO window built on it, and a dashboard shows a gap instead of 0. A denominator
is safe when it cannot be 0 (a \`count\`, a positive number, \`clamp_min(b, ε)\`, a series recorded by the project's
rules from such an expression, like a count of CPUs) or is filtered (\`b > 0\`), or when
a comparison, \`and\` or \`unless\` above the division drops the NaN (\`a / b > 0.01\` in an alert). Dashboard
queries are only checked with the option \`dashboards\`.`,
  options: {
    dashboards: { default: false, doc: 'also check dashboard queries, where NaN only shows as a gap' },
  },
  *run({ project, options }) {
    for (const visit of nodesOf(project, 'Binary')) {
      // Not destructured: `ancestors` walks the expression again, and only the last test needs it.
      const { expression, node } = visit;
      if (node.op !== '/' || node.lhs.valueType !== 'vector' || node.rhs.valueType !== 'vector') continue;
      if (expression.target.kind === 'query' && !options.dashboards) continue;
      if (!canBeZero(node.rhs, project) || guarded(visit.ancestors)) continue;
      yield {
        target: expression.target,
        message: 'division by a vector that can be 0: 0/0 gives NaN when there is no traffic',
        span: node,
        hint: 'filter the denominator (… / (total > 0)) or clamp it (… / clamp_min(total, 1e-9))',
      };
    }
  },
});
