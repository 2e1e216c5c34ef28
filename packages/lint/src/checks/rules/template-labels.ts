import { labelFlow } from '../../analysis/label-flow.ts';
import { referencedLabels } from '../../analysis/templates.ts';
import { defineCheck } from '../../check.ts';

export const templateLabels = defineCheck({
  id: 'rules/template-labels',
  severity: 'error',
  doc: `Templates in an alert's annotations and labels (\`{{ $labels.x }}\`, \`.Labels.x\`, \`index $labels "x"\`) can only
read the labels of the series the expression returns, and render an empty string for any other in every
notification. Reported when the expression provably never returns the label, following it through every node
as Prometheus evaluates it: \`on(…)\` one-to-one matching keeps only the listed labels and \`ignoring(…)\` drops
them; \`group_left(…)\`/\`group_right(…)\` copy the listed labels from the other side; \`and\`/\`unless\` return the
left side's series unchanged (the right side contributes nothing); \`or\` either side's; \`label_replace\` and
\`label_join\` add their destination; \`absent(…)\` has only its selector's equality matchers; \`histogram_quantile\`
drops \`le\`. Whether a selector's series carry a label is known from the catalogue (or an equality matcher on it);
for metrics it does not know nothing is claimed. Static labels of the rule are not visible to templates either.
Labels lost in a \`by\`/\`without\` aggregation are reported at the aggregation by promql/fragile-aggregation.
Each rule of this model is proved against promtool's template rendering in the package's tests.`,
  *run({ project }) {
    for (const entry of project.rules) {
      const parsed = entry.expression.parsed;
      if (entry.rule.kind !== 'alert' || !parsed.ok) continue;
      const used = referencedLabels([entry.rule.annotations, entry.rule.labels]);
      for (const [label, keys] of used) {
        const flow = labelFlow(parsed.expr, label, (node) => project.shapes.shape(node));
        if (flow.presence !== 'never' || flow.droppedBy) continue;
        const isStatic = label in entry.rule.labels || label in (entry.group.labels ?? {});
        yield {
          target: entry.expression.target,
          message: `${keys.join(', ')} of alert ${entry.rule.name} read${keys.length === 1 ? 's' : ''} label "${label}", which the expression does not return`,
          hint: isStatic
            ? `"${label}" is a static label of the rule: templates only see the series' labels; write its value directly`
            : 'read a label the expression keeps, or keep this one',
        };
      }
    }
  },
});
