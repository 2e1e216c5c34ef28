import { readsValue } from '../../analysis/templates.ts';
import { defineCheck } from '../../check.ts';

export const valueInLabel = defineCheck({
  id: 'rules/value-in-label',
  severity: 'error',
  doc: `An alert's labels are its identity: Prometheus tracks each alert by its labels, and Alertmanager groups,
deduplicates and silences by them. A label template that reads the expression's value (\`{{ $value }}\`,
\`{{ .Value | humanize }}\`) makes a new alert whenever the value changes: the old one resolves, the new one
starts its \`for\` from zero (so a changing value may never fire at all), and every change is a new notification.
Put the value in an annotation, which is not part of the identity. Proven from the template text alone: every
action that names \`$value\` or \`.Value\` is reported, also one whose result happens to change rarely (a value
rounded to a threshold), where it is still a label that can flap.`,
  *run({ project }) {
    for (const { rule, expression } of project.rules) {
      if (rule.kind !== 'alert') continue;
      for (const [label, template] of Object.entries(rule.labels)) {
        if (!readsValue(template)) continue;
        yield {
          target: expression.target,
          message: `label ${label} of alert ${rule.name} reads the expression's value: every change of the value is a new alert`,
          hint: `move ${label} to the annotations`,
        };
      }
    }
  },
});
