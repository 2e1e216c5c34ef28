import { defineCheck } from '../../check.ts';

export const requiredAnnotations = defineCheck({
  id: 'rules/required-annotations',
  severity: 'warning',
  doc: `Whoever is paged needs to know what broke and what to do: every alert has a \`summary\` (one line), a
\`description\` (what is happening, with the values) and a \`runbook_url\` (an http(s) link to the runbook). The
list is the option \`annotations\`.`,
  options: {
    annotations: {
      default: ['summary', 'description', 'runbook_url'],
      doc: 'annotations every alert must have',
    },
  },
  *run({ project, options }) {
    for (const { group, rule } of project.rules) {
      if (rule.kind !== 'alert') continue;
      const target = { kind: 'rule', group, rule } as const;
      const absent = options.annotations.filter((name) => !rule.annotations[name]?.trim());
      if (absent.length > 0) {
        yield {
          target,
          message: `alert ${rule.name} has no ${absent.join(', ')} annotation${absent.length > 1 ? 's' : ''}`,
          hint: 'say what broke, what it means and where the runbook is',
        };
      }
      const runbook = rule.annotations.runbook_url;
      if (runbook && !/^https?:\/\/\S+$/.test(runbook) && !runbook.includes('{{')) {
        yield { target, message: `alert ${rule.name} runbook_url "${runbook}" is not an http(s) link` };
      }
    }
  },
});
