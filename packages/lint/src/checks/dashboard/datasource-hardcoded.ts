import { defineCheck, type Target } from '../../check.ts';

/** Grafana's own pseudo datasources, which have no variable form. */
const SPECIAL = new Set(['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana']);

/** The literal datasource uid of a reference, or undefined when it is a variable or absent. */
export function hardcodedUid(datasource: unknown): string | undefined {
  const uid =
    typeof datasource === 'string'
      ? datasource
      : typeof datasource === 'object' && datasource !== null
        ? (datasource as { uid?: unknown }).uid
        : undefined;
  if (typeof uid !== 'string' || uid === '' || uid.includes('$') || SPECIAL.has(uid)) return undefined;
  return uid;
}

export const datasourceHardcoded = defineCheck({
  id: 'dashboard/datasource-hardcoded',
  severity: 'warning',
  doc: `A panel or query that names its datasource by a fixed uid only works in the Grafana instance that has that
uid; the same dashboard cannot be pointed at staging, another region or a test stack. Reference the dashboard's
datasource variable (\`\${datasource}\`) instead. Grafana's own pseudo datasources (\`-- Mixed --\`, \`-- Grafana --\`,
\`-- Dashboard --\`) are fine.`,
  *run({ project }) {
    for (const dashboard of project.model.dashboards) {
      for (const panel of dashboard.panels) {
        const candidates: [Target, unknown][] = [
          [{ kind: 'panel', dashboard, panel }, panel.datasource],
          ...panel.queries.map((query): [Target, unknown] => [
            { kind: 'query', dashboard, panel, query },
            query.datasource,
          ]),
        ];
        for (const [target, datasource] of candidates) {
          const uid = hardcodedUid(datasource);
          if (uid === undefined) continue;
          yield {
            target,
            message: `datasource uid "${uid}" is hard-coded`,
            hint: 'use the datasource variable: { type: "prometheus", uid: "$datasource" }',
          };
        }
      }
    }
  },
});
