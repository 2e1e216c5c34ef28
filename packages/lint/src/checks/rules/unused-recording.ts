import { defineCheck } from '../../check.ts';

export const unusedRecording = defineCheck({
  id: 'rules/unused-recording',
  severity: 'warning',
  doc: `A recording rule costs an evaluation every interval and a set of series in the TSDB; if no other rule and
no dashboard query reads what it records, it is dead weight (often left behind by a renamed dashboard). Names
read by consumers outside this project (federation, other teams' dashboards) can be listed in the option
\`external\` as regexes. Not run when no dashboard is linted: a rule file alone cannot tell.`,
  options: {
    external: { default: [] as string[], doc: 'regexes of recorded names read outside this project' },
  },
  *run({ project, options }) {
    if (!project.hasDashboards || !project.rules.some(({ rule }) => rule.kind === 'record')) return;
    const read = project.selectedNames();
    const external = options.external.map((pattern) => new RegExp(`^(?:${pattern})$`));
    for (const { rule, expression } of project.rules) {
      if (rule.kind !== 'record' || read.has(rule.name) || external.some((re) => re.test(rule.name)))
        continue;
      yield {
        target: expression.target,
        message: `nothing reads ${rule.name}: no rule and no dashboard query selects it`,
        hint: 'remove the rule, or list its name in the option "external" if it is read elsewhere',
      };
    }
  },
});
