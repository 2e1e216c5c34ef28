import { labelFlow } from '../../analysis/label-flow.ts';
import { referencedLabels } from '../../analysis/templates.ts';
import { defineCheck } from '../../check.ts';

export const fragileAggregation = defineCheck({
  id: 'promql/fragile-aggregation',
  severity: 'error',
  doc: `An alert's annotations and label templates read the labels of the series that fired (\`{{ $labels.service }}\`).
An aggregation whose result becomes the alert's series and that drops one of those labels (\`sum by (job) (…)\`
while the summary says \`{{ $labels.service }}\`, or \`without (service)\`) makes the notification render an empty
value, and the alert merges what should be separate incidents. Only aggregations on the path the label would take
to the result count (not the right side of \`and\`/\`unless\`, nor a side of a join the label is not taken from; see
rules/template-labels for the model). The caret points at the aggregation; keep the label in \`by (…)\` (or out of
\`without (…)\`), or stop reading it. Labels that never existed in the first place are reported by
rules/template-labels.`,
  *run({ project }) {
    for (const entry of project.rules) {
      const parsed = entry.expression.parsed;
      if (entry.rule.kind !== 'alert' || !parsed.ok) continue;
      for (const [label, keys] of referencedLabels([entry.rule.annotations, entry.rule.labels])) {
        const { presence, droppedBy: node } = labelFlow(parsed.expr, label, (n) => project.shapes.shape(n));
        if (presence !== 'never' || !node) continue;
        yield {
          target: entry.expression.target,
          message: `${node.op}() drops label "${label}", which ${keys.join(', ')} of alert ${entry.rule.name} use${keys.length === 1 ? 's' : ''}`,
          span: node,
          hint: node.without ? `remove ${label} from without (…)` : `add ${label} to by (…)`,
        };
      }
    }
  },
});
