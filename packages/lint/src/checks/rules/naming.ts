import { formatSource } from '@o11y/core';
import { defineCheck } from '../../check.ts';

export const naming = defineCheck({
  id: 'rules/naming',
  severity: 'warning',
  doc: `Recording rules are named \`level:metric:operations\` (Prometheus's convention, e.g.
\`job:http_requests:rate5m\`), so a reader knows what was aggregated, from what, how, and that the series is
recorded, not scraped. Alert names are CamelCase (\`HighErrorRate\`) and at most \`maxAlertLength\` characters, so
they read well in notifications and stay valid as label values everywhere. Both patterns are options. A name
is judged once per definition: an SLO's page and ticket alerts share theirs.`,
  options: {
    recordingPattern: {
      default: '^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+:[a-zA-Z0-9_]+$',
      doc: 'regex a recording rule name must match',
    },
    alertPattern: { default: '^[A-Z][a-zA-Z0-9]*$', doc: 'regex an alert name must match' },
    maxAlertLength: { default: 40, doc: 'longest alert name' },
  },
  *run({ project, options }) {
    const recording = new RegExp(options.recordingPattern);
    const alert = new RegExp(options.alertPattern);
    // A name is judged once per definition: an SLO's page and ticket alerts share the name and the line.
    const judged = new Set<string>();
    for (const { group, rule } of project.rules) {
      const name = `${rule.kind} ${rule.name} ${formatSource(rule.source)}`;
      if (judged.has(name)) continue;
      judged.add(name);
      const target = { kind: 'rule', group, rule } as const;
      if (rule.kind === 'record' && !recording.test(rule.name)) {
        yield {
          target,
          message: `recording rule ${rule.name} is not named level:metric:operations`,
          hint: 'e.g. job:http_requests:rate5m for sum by (job) (rate(http_requests_total[5m]))',
        };
      }
      if (rule.kind === 'alert' && !alert.test(rule.name)) {
        yield { target, message: `alert ${rule.name} is not CamelCase`, hint: 'e.g. HighErrorRate' };
      }
      if (rule.kind === 'alert' && rule.name.length > options.maxAlertLength) {
        yield {
          target,
          message: `alert name ${rule.name} is ${rule.name.length} characters long (at most ${options.maxAlertLength})`,
          hint: 'move the detail into the summary annotation',
        };
      }
    }
  },
});
