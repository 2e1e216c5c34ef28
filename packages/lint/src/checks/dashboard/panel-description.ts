import { defineCheck } from '../../check.ts';

export const panelDescription = defineCheck({
  id: 'dashboard/panel-description',
  severity: 'warning',
  doc: `A panel's description is the ⓘ a reader hovers over at three in the morning: what the panel shows, in
which unit, and when to worry. Panels that show data (those with queries) must have one; text panels and rows
are exempt.`,
  *run({ project }) {
    for (const dashboard of project.model.dashboards) {
      for (const panel of dashboard.panels) {
        if (panel.queries.length === 0 || panel.description?.trim()) continue;
        yield {
          target: { kind: 'panel', dashboard, panel },
          message: `${panel.type} panel "${panel.title}" has no description`,
          hint: 'say what the panel shows and when to worry (.description(…) in the builder)',
        };
      }
    }
  },
});
