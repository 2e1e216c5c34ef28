import { nodesOf, unwrap } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

export const absent = defineCheck({
  id: 'promql/absent',
  severity: 'warning',
  doc: `\`absent(x)\` returns one series with the labels of \`x\`'s equality matchers when \`x\` has no series. Given
anything but a plain selector (an aggregation, a function, a binary operation), it returns a series without
labels, so the alert cannot say what is missing, and \`absent(rate(x[5m]))\` fires only when the metric is gone
entirely, not when it stops increasing. In a recording rule, \`absent\` records a constant 1 at most and is
better written as an alert.`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'Call')) {
      if (node.func !== 'absent' && node.func !== 'absent_over_time') continue;
      const arg = node.args[0] ? unwrap(node.args[0]) : undefined;
      const plain = node.func === 'absent' ? 'VectorSelector' : 'MatrixSelector';
      if (arg && arg.type !== plain) {
        yield {
          target: expression.target,
          message: `${node.func}() of ${arg.type === 'Aggregate' ? `a ${arg.op}() aggregation` : 'a computed expression'}: the result has no labels to tell what is missing`,
          span: node,
          hint: `call ${node.func}() on the selector itself, e.g. ${node.func}(up{job="api"}${plain === 'MatrixSelector' ? '[5m]' : ''})`,
        };
      }
      const target = expression.target;
      if (target.kind === 'rule' && target.rule.kind === 'record') {
        yield {
          target,
          message: `recording rule ${target.rule.name} records ${node.func}(), which is 1 or nothing`,
          span: node,
          hint: 'write an alert on the absent() expression instead',
        };
      }
    }
  },
});
