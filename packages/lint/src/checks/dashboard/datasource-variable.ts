import { defineCheck } from '../../check.ts';

export const datasourceVariable = defineCheck({
  id: 'dashboard/datasource-variable',
  severity: 'warning',
  doc: `A dashboard with Prometheus queries needs a template variable of type \`datasource\` (query \`prometheus\`)
that its panels refer to, so viewers can switch between Prometheus instances and the same JSON works in every
Grafana. Dashboards with no Prometheus query are not checked.`,
  *run({ project }) {
    const withQueries = new Set(project.queries.map((q) => q.dashboard));
    for (const dashboard of withQueries) {
      const declared = dashboard.variables.some(
        (v) => v.type === 'datasource' && (v.query ?? 'prometheus') === 'prometheus',
      );
      if (declared) continue;
      yield {
        target: { kind: 'dashboard', dashboard },
        message: `dashboard ${dashboard.uid} has Prometheus queries but no datasource variable`,
        hint: 'add a variable of type datasource with query "prometheus" and use it in every panel',
      };
    }
  },
});
