import { referencedLabels } from '../../analysis/templates.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

export const fragileAggregation = defineCheck({
  id: 'promql/fragile-aggregation',
  severity: 'error',
  doc: `An alert's annotations and label templates read the labels of the series that fired (\`{{ $labels.service }}\`).
An aggregation in the expression that drops one of those labels (\`sum by (job) (…)\` while the summary says
\`{{ $labels.service }}\`) makes the notification render an empty value, and the alert merges what should be
separate incidents. The caret points at the aggregation that drops the label; keep it in \`by (…)\`, or stop
reading it. Labels that never existed in the first place are reported by rules/template-labels.`,
  *run({ project }) {
    const alerts = project.rules.filter((entry) => entry.rule.kind === 'alert');
    for (const entry of alerts) {
      const used = referencedLabels([entry.rule.annotations, entry.rule.labels]);
      if (used.size === 0) continue;
      for (const { node } of nodesOf(project, 'Aggregate', [entry.expression])) {
        const input = project.shapes.shape(node.expr);
        const output = project.shapes.shape(node);
        for (const [label, keys] of used) {
          // An input of unknown labels (a metric missing from the catalogue) may well have had it.
          if (!(input.labels.has(label) || input.open) || output.labels.has(label) || output.open) continue;
          yield {
            target: entry.expression.target,
            message: `${node.op}() drops label "${label}", which ${keys.join(', ')} of alert ${entry.rule.name} use${keys.length === 1 ? 's' : ''}`,
            span: node,
            hint: node.without ? `remove ${label} from without (…)` : `add ${label} to by (…)`,
          };
        }
      }
    }
  },
});
