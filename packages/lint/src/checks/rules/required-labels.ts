import { ALERT_SEVERITIES } from '@o11y/core';
import { defineCheck } from '../../check.ts';

export const requiredLabels = defineCheck({
  id: 'rules/required-labels',
  severity: 'error',
  doc: `Alertmanager routes on labels: an alert without \`severity\` or \`team\` (the option \`labels\`) reaches the
default receiver or nobody. Group labels count. \`severity\` must be one of the option \`severities\`, the values
the routing tree knows.`,
  options: {
    labels: { default: ['severity', 'team'], doc: 'labels every alert must have' },
    severities: { default: [...ALERT_SEVERITIES] as string[], doc: 'allowed values of severity' },
  },
  *run({ project, options }) {
    for (const { group, rule } of project.rules) {
      if (rule.kind !== 'alert') continue;
      const labels = { ...group.labels, ...rule.labels };
      const target = { kind: 'rule', group, rule } as const;
      const absent = options.labels.filter((label) => !labels[label]);
      if (absent.length > 0) {
        yield {
          target,
          message: `alert ${rule.name} has no ${absent.join(', ')} label${absent.length > 1 ? 's' : ''}`,
          hint: 'Alertmanager routes on them; set them on the rule or its group',
        };
      }
      const severity = labels.severity;
      if (severity !== undefined && !options.severities.includes(severity)) {
        yield {
          target,
          message: `alert ${rule.name} has severity "${severity}"`,
          hint: `use one of ${options.severities.join(', ')}`,
        };
      }
    }
  },
});
