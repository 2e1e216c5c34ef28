import { formatDuration } from '@o11y/core';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

export const rateInterval = defineCheck({
  id: 'dashboard/rate-interval',
  severity: 'warning',
  doc: `In a dashboard, \`rate\`, \`irate\` and \`increase\` should use \`[$__rate_interval]\`: Grafana sizes it from the
scrape interval and the panel's step, so the graph neither has holes when zoomed in nor skips samples when zoomed
out. A fixed range (\`[5m]\`) or \`$__interval\` (which can be shorter than two scrapes) is reported; \`[$__range]\`, the
whole time range of a stat such as "orders in range", is fine.`,
  *run({ project }) {
    const queries = project.queries.map((q) => q.expression);
    for (const { expression, node } of nodesOf(project, 'Call', queries)) {
      const arg = node.args[0];
      if (!RATE_FUNCTIONS.has(node.func) || arg?.type !== 'MatrixSelector') continue;
      if (arg.rangeVariable === '__rate_interval' || arg.rangeVariable === '__range') continue;
      const written = arg.rangeVariable
        ? `$${arg.rangeVariable}`
        : arg.range !== undefined
          ? formatDuration(arg.range)
          : 'an expression';
      yield {
        target: expression.target,
        message: `${node.func}() over [${written}] instead of [$__rate_interval]`,
        span: arg,
        hint: 'write [$__rate_interval]',
      };
    }
  },
});
