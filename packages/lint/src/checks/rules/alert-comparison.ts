import type { Node } from '../../analysis/ast.ts';
import { defineCheck } from '../../check.ts';

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** A part of an alert's expression whose series all reach the result unfiltered, and why. */
interface Unconditioned {
  readonly node: Node;
  readonly why: string;
}

/**
 * The parts of `node` that return a series on every evaluation, whatever the values: a comparison
 * without `bool` filters, and so do `absent()`, `unless` and an `and` with a filtered side; an
 * arithmetic operation, a function or an aggregation is filtered when an operand is (a one-to-one match
 * keeps only series both sides have); `or` needs both sides filtered.
 */
function unconditioned(node: Node): Unconditioned[] {
  switch (node.type) {
    case 'Paren':
    case 'Unary':
    case 'Subquery':
      return unconditioned(node.expr);
    case 'Number':
      return [{ node, why: 'a number is a result on every evaluation' }];
    case 'VectorSelector':
    case 'MatrixSelector':
      return [{ node, why: 'every series it selects is an alert, whatever its value' }];
    case 'Aggregate':
      return unconditioned(node.expr);
    case 'Call': {
      if (node.func === 'absent' || node.func === 'absent_over_time') return [];
      // Numbers and strings are parameters (a quantile, a label name); the series come from the rest.
      const parts = node.args
        .filter((arg) => arg.type !== 'Number' && arg.type !== 'String')
        .map(unconditioned);
      if (parts.length === 0) return [{ node, why: `${node.func}() is a result on every evaluation` }];
      return parts.some((p) => p.length === 0) ? [] : parts[0]!;
    }
    case 'Binary': {
      if (COMPARISONS.has(node.op))
        return node.bool
          ? [{ node, why: 'a comparison with bool returns 0 or 1 for every series instead of filtering' }]
          : [];
      if (node.op === 'unless') return [];
      const lhs = unconditioned(node.lhs);
      const rhs = unconditioned(node.rhs);
      if (node.op === 'or') return [...lhs, ...rhs];
      return lhs.length === 0 || rhs.length === 0 ? [] : lhs;
    }
    default:
      return [];
  }
}

export const alertComparison = defineCheck({
  id: 'rules/alert-comparison',
  severity: 'warning',
  doc: `An alert fires for every series its expression returns, whatever the value: \`errors_total{code="504"}\` or
\`rate(errors_total[5m])\` without \`> 0\` fires as soon as the series exists, also when it is 0. Reported for each
part of the expression that returns its series unfiltered: a selector, function or aggregation with no comparison
on it (a comparison without \`bool\`, \`absent()\`, \`unless\`, or an \`and\`/one-to-one operation with a compared
side count as filters), a number or \`vector()\`, a comparison with \`bool\` (which returns 0 or 1 instead of
filtering), and each side of \`or\` alone. Proven from the expression alone; it can be wrong only where the data
makes an unfiltered series conditional, e.g. a series exported only after the first error: add \`> 0\` anyway, it
costs nothing. An always-firing alert on purpose (a dead man's switch such as \`vector(1)\`) is a suppression with
that reason.`,
  *run({ project }) {
    for (const { rule, expression } of project.rules) {
      if (rule.kind !== 'alert' || !expression.parsed.ok) continue;
      for (const { node, why } of unconditioned(expression.parsed.expr)) {
        yield {
          target: expression.target,
          message: `alert ${rule.name} always fires when this part returns anything: ${why}`,
          span: node,
          hint: 'add the condition that should page, e.g. > 0 or == 0',
        };
      }
    }
  },
});
