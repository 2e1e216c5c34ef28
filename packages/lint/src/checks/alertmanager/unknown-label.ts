import { compareCodePoints } from '@o11y/core';
import { labelFlow } from '../../analysis/label-flow.ts';
import { defineCheck } from '../../check.ts';
import { allRoutes, routeTree } from '../../load/alertmanager-file.ts';
import type { LintProject } from '../../project.ts';

/** Which values alerts give a label: a known set, or `undefined` when some alert may give it any value. */
function valuesOf(project: LintProject, label: string): ReadonlySet<string> | undefined {
  const values = new Set<string>();
  for (const entry of project.rules) {
    if (entry.rule.kind !== 'alert') continue;
    // A rule's own labels override the expression's, so a static value is exactly what the alert carries.
    const written = entry.rule.labels[label] ?? entry.group.labels?.[label];
    if (written !== undefined) {
      if (written.includes('{{')) return undefined;
      values.add(written);
      continue;
    }
    const parsed = entry.expression.parsed;
    if (!parsed.ok) return undefined;
    if (labelFlow(parsed.expr, label, (node) => project.shapes.shape(node)).presence !== 'never')
      return undefined;
  }
  return values;
}

export const unknownLabel = defineCheck({
  id: 'alertmanager/unknown-label',
  severity: 'warning',
  doc: `When alerting rules are linted together with an \`alertmanager.yml\`, every equality matcher of a route
(\`matchers\`, \`match\`) must compare a label with a value some alert can carry: the rule's static labels give
exactly their value (they override the expression's), and the labels the expression returns (as
rules/template-labels models them) any value. A matcher no alert can satisfy makes its route dead. Labels whose
values depend on the series are not judged; \`alertname\` is known from the rules' names. A warning, because
external labels and rules of other Prometheus servers may add labels that the linted files do not show.`,
  *run({ project }) {
    if (!project.rules.some((entry) => entry.rule.kind === 'alert')) return;
    const names = new Set(project.rules.filter((e) => e.rule.kind === 'alert').map((e) => e.rule.name));
    for (const source of project.sources.alertmanagers) {
      for (const route of allRoutes(routeTree(source))) {
        for (const matcher of route.matchers) {
          if (matcher.op !== '=' || matcher.value === '') continue;
          const values = matcher.name === 'alertname' ? names : valuesOf(project, matcher.name);
          if (!values || values.has(matcher.value)) continue;
          const target = {
            kind: 'file' as const,
            file: source.document.file,
            source: matcher.source,
            subject: route.path,
          };
          yield {
            target,
            message:
              values.size === 0
                ? `${route.path} matches ${matcher.name}="${matcher.value}", but no alerting rule sets label "${matcher.name}"`
                : `${route.path} matches ${matcher.name}="${matcher.value}", but the alerting rules give "${matcher.name}" only ${[
                    ...values,
                  ]
                    .sort(compareCodePoints)
                    .map((v) => `"${v}"`)
                    .join(', ')}`,
            hint: 'fix the matcher, or set the label in the rules (or in external_labels, then ignore this warning)',
          };
        }
      }
    }
  },
});
