import { ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);

export const rateNonCounter = defineCheck({
  id: 'promql/rate-non-counter',
  severity: 'error',
  doc: `\`rate\`, \`irate\`, \`increase\` and \`resets\` only make sense on counters: on a gauge they turn every
decrease into a counter reset and report nonsense. The metric's type comes from the catalogue (a histogram's
\`_bucket\`, \`_sum\` and \`_count\` are counters); a recording rule's output is a counter only when it records a
plain counter selector, so \`rate\` over a recorded rate or sum is reported too. Use \`deriv\` or \`delta\` for gauges.`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'Call')) {
      const arg = node.args[0];
      if (!COUNTER_FUNCTIONS.has(node.func) || arg?.type !== 'MatrixSelector') continue;
      const name = ShapeResolver.metricName(arg.selector);
      const series = name === undefined ? undefined : project.series(name);
      // Native histograms are counters too: rate() of one is how Prometheus reads them.
      if (!series || series.kind === 'counter' || series.kind === 'counter-histogram') continue;
      const recorded = series.origins.find((o) => o.kind === 'rule');
      const what = recorded
        ? `the output of recording rule ${name}, not a raw counter`
        : `a ${series.type === 'summary' ? 'summary quantile' : series.type}`;
      yield {
        target: expression.target,
        message: `${node.func}() of ${name}, which is ${what}`,
        span: node,
        hint: recorded
          ? `apply ${node.func}() to the counters ${name} is recorded from, or use the recorded value directly`
          : 'use deriv() or delta() for gauges, or select a counter',
      };
    }
  },
});
