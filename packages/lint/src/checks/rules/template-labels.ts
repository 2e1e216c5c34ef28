import { referencedLabels } from '../../analysis/templates.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

export const templateLabels = defineCheck({
  id: 'rules/template-labels',
  severity: 'error',
  doc: `Templates in an alert's annotations and labels (\`{{ $labels.x }}\`, \`.Labels.x\`, \`index $labels "x"\`) can only
read the labels of the series the expression returns. Static labels of the rule are not among them, nor labels
the expression never had or loses in a join or \`histogram_quantile\`; such a template renders an empty string in
every notification. Labels lost in an aggregation are reported at the aggregation by promql/fragile-aggregation.
Only reported when the expression's labels are fully known.`,
  *run({ project }) {
    for (const entry of project.rules) {
      if (entry.rule.kind !== 'alert') continue;
      const shape = project.shapeOf(entry.expression);
      if (!shape || shape.open) continue;
      const used = referencedLabels([entry.rule.annotations, entry.rule.labels]);
      const aggregated = nodesOf(project, 'Aggregate', [entry.expression]).map(({ node }) =>
        project.shapes.shape(node.expr),
      );
      for (const [label, keys] of used) {
        if (shape.labels.has(label) || aggregated.some((input) => input.open || input.labels.has(label)))
          continue;
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
