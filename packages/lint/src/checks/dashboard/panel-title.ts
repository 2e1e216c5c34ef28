import { defineCheck } from '../../check.ts';

export const panelTitle = defineCheck({
  id: 'dashboard/panel-title',
  severity: 'warning',
  doc: `Every panel needs a title: it is what a viewer scans the dashboard by, what a shared link or an alert
annotation shows, and what suppressions and reviews refer to. Text panels are exempt.`,
  *run({ project }) {
    for (const dashboard of project.model.dashboards) {
      for (const panel of dashboard.panels) {
        if (panel.type === 'text' || panel.title.trim() !== '') continue;
        yield {
          target: { kind: 'panel', dashboard, panel },
          message: `panel ${panel.id} (${panel.type}) has no title`,
          hint: 'say what the panel shows, e.g. "Request rate by route"',
        };
      }
    }
  },
});
