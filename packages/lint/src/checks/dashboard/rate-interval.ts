import { formatDuration, parseDuration } from '@o11y/core';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

/** The query's min step (Grafana `interval`) in ms, when it is a literal duration. */
function minStep(interval: string | undefined): number | undefined {
  if (interval === undefined) return undefined;
  try {
    return parseDuration(interval);
  } catch {
    return undefined; // a variable or Grafana's own spelling: not a declared window
  }
}

export const rateInterval = defineCheck({
  id: 'dashboard/rate-interval',
  severity: 'warning',
  doc: `In a dashboard, \`rate\`, \`irate\` and \`increase\` should use \`[$__rate_interval]\`: Grafana sizes it from the
scrape interval and the panel's step, so the graph neither has holes when zoomed in nor skips samples when zoomed
out. A fixed range (\`[5m]\`) or \`$__interval\` (which can be shorter than two scrapes) is reported; \`[$__range]\`, the
whole time range of a stat such as "orders in range", is fine. So is \`increase(x[1h])\` in a query whose min step
(Grafana's \`interval\`, set by the builders' \`fixedWindow\` option) is that same window: its values are amounts per
window (revenue per hour), a meaning \`$__rate_interval\` would change with the zoom, and the step makes consecutive
points cover consecutive windows. \`rate\` and \`irate\` are per second whatever the range, so they get no such
exception.`,
  *run({ project }) {
    for (const entry of project.queries) {
      const { expression } = entry;
      for (const { node } of nodesOf(project, 'Call', [expression])) {
        const arg = node.args[0];
        if (!RATE_FUNCTIONS.has(node.func) || (arg?.type !== 'MatrixSelector' && arg?.type !== 'Subquery'))
          continue;
        if (arg.rangeVariable === '__rate_interval' || arg.rangeVariable === '__range') continue;
        const window =
          node.func === 'increase' && arg.range !== undefined && arg.rangeVariable === undefined
            ? arg.range
            : undefined;
        if (window !== undefined && minStep(entry.query.interval) === window) continue;
        const written = arg.rangeVariable
          ? `$${arg.rangeVariable}`
          : arg.range !== undefined
            ? formatDuration(arg.range)
            : 'an expression';
        yield {
          target: expression.target,
          message: `${node.func}() over [${written}] instead of [$__rate_interval]`,
          span: arg,
          hint:
            window === undefined
              ? 'write [$__rate_interval]'
              : `write [$__rate_interval]; for an amount per ${written} (revenue per hour), set the query's min step to ${written} (fixedWindow: '${written}' in the builders)`,
        };
      }
    }
  },
});
