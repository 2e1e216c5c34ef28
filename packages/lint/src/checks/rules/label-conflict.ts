import { defineCheck } from '../../check.ts';

/** Labels a rule cannot set: Prometheus refuses `__name__`, and overwrites an alert's `alertname`. */
function reserved(label: string, kind: 'alert' | 'record'): boolean {
  return label === '__name__' || (kind === 'alert' && label === 'alertname');
}

export const labelConflict = defineCheck({
  id: 'rules/label-conflict',
  severity: 'warning',
  doc: `A static label of a rule (or its group) overwrites the label of the same name on every series the
expression returns: a recording rule setting \`job\` rewrites the real job, an alert setting \`instance\` hides which
instance failed, and series that differed only in that label collide. \`__name__\` is never set by a rule, nor
\`alertname\` by an alert (Prometheus sets it). \`quantile\` and \`le\` are ordinary labels for a rule: a recording rule
of \`histogram_quantile(0.99, …)\` labelled \`quantile: "0.99"\` is the usual way to keep several quantiles under one
name. Only reported when the expression's labels are known.`,
  *run({ project }) {
    for (const { group, rule, expression } of project.rules) {
      const labels = { ...group.labels, ...rule.labels };
      const shape = project.shapeOf(expression);
      for (const label of Object.keys(labels)) {
        if (reserved(label, rule.kind)) {
          yield {
            target: expression.target,
            message: `${rule.name} sets the reserved label "${label}"`,
            hint: 'remove it; Prometheus and Alertmanager set it themselves',
          };
        } else if (shape && !shape.open && shape.labels.has(label)) {
          const bound = shape.labels.get(label)!;
          if (bound.values?.length === 1 && bound.values[0] === labels[label]) continue;
          yield {
            target: expression.target,
            message: `${rule.name} sets label "${label}", which its expression's series already carry: the value is overwritten`,
            hint: `rename the static label, or drop ${label} from the expression with an aggregation`,
          };
        }
      }
    }
  },
});
