import { nodesOf, unwrap } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

const RANGE_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);

export const rateOfAggregation = defineCheck({
  id: 'promql/rate-of-aggregation',
  severity: 'error',
  doc: `\`rate(sum(x)[5m:])\` aggregates first and takes the rate second: when one of the summed counters resets,
the sum drops and \`rate\` sees a reset of the whole sum, producing a huge spike. Take the rate of each counter
first and aggregate the rates: \`sum(rate(x[5m]))\`. (Written without a subquery, \`rate(sum(x))\` does not even
parse; that is reported by promql/syntax.)`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'Call')) {
      const arg = node.args[0];
      if (!RANGE_FUNCTIONS.has(node.func) || arg?.type !== 'Subquery') continue;
      const inner = unwrap(arg.expr);
      if (inner.type !== 'Aggregate') continue;
      yield {
        target: expression.target,
        message: `${node.func}() of a ${inner.op}() aggregation: counter resets of the inputs become spikes`,
        span: node,
        hint: `aggregate the rates instead: ${inner.op}(${node.func}(…[range]))`,
      };
    }
  },
});
