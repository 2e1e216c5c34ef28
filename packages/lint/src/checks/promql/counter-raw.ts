import type { Node } from '../../analysis/ast.ts';
import { ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';
import type { LintProject } from '../../project.ts';

/** Functions whose result does not depend on a counter's absolute value. */
const COUNTER_SAFE = new Set([
  'rate',
  'irate',
  'increase',
  'resets',
  'changes',
  'absent',
  'absent_over_time',
  'present_over_time',
  'count_over_time',
  'timestamp',
]);

/** Whether `name` is a counter: the catalogue's (or a recording rule's) type, else OpenMetrics's `_total` suffix. */
function isCounter(project: LintProject, name: string): boolean {
  const series = project.series(name);
  if (series) return series.kind === 'counter';
  return name.endsWith('_total');
}

/** Whether the selector at the end of `path` reaches the result only through something that reads no absolute value. */
function consumedSafely(path: readonly Node[]): boolean {
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = path[i]!;
    if (parent.type === 'Call' && COUNTER_SAFE.has(parent.func)) return true;
    if (parent.type === 'Aggregate' && (parent.op === 'count' || parent.op === 'group')) return true;
    // The right side of and/unless only says which series exist.
    if (
      parent.type === 'Binary' &&
      (parent.op === 'and' || parent.op === 'unless') &&
      parent.rhs === path[i + 1]
    )
      return true;
  }
  return false;
}

export const counterRaw = defineCheck({
  id: 'promql/counter-raw',
  severity: 'warning',
  doc: `A counter's value is the number of events since the process started: it drops to 0 at every restart and
differs between replicas started at different times, so \`errors_total > 10\`, \`sum(http_requests_total)\` or
\`x_total - x_total offset 1h\` (negative after a reset) do not say how many events happened. Read counters through
\`rate\`, \`irate\`, \`increase\` (or \`resets\`, \`changes\`, \`timestamp\`, the \`absent\`/\`present_over_time\`/\`count_over_time\`
family, \`count\`/\`group\`, or the right side of \`and\`/\`unless\`, which use no value). A metric is a counter when the
catalogue or the recording rule writing it says so, and for metrics neither knows when its name ends in \`_total\`
(OpenMetrics's rule for counter names), which can be wrong for a gauge named against that convention. A panel that
deliberately shows the count since start is a suppression with that reason.`,
  *run({ project }) {
    for (const visit of nodesOf(project, 'VectorSelector')) {
      // Not destructured: `ancestors` walks the expression again, and only counters need it.
      const { expression, node } = visit;
      const name = ShapeResolver.metricName(node);
      if (name === undefined || !isCounter(project, name) || consumedSafely([...visit.ancestors, node]))
        continue;
      yield {
        target: expression.target,
        message: `${name} is a counter, read here by its absolute value, which restarts at 0 with the process`,
        span: node,
        hint: `use rate(${name}[5m]) or increase(${name}[1h])`,
      };
    }
  },
});
