import { formatSource, type PanelModel } from '@o11y/core';
import { defineCheck } from '../../check.ts';

export const duplicate = defineCheck({
  id: 'dashboard/duplicate',
  severity: 'error',
  doc: `Dashboard uids identify dashboards in Grafana's API and in links: two dashboards with one uid overwrite each
other on every publish. Panel ids identify panels within a dashboard (links to a panel, embedded panels, library
panels): two panels with one id make Grafana show or edit the wrong one.`,
  *run({ project }) {
    for (const dashboard of project.model.dashboards) {
      const first = project.firstDashboard(dashboard.uid);
      if (first && first !== dashboard) {
        yield {
          target: { kind: 'dashboard', dashboard },
          message: `dashboard uid "${dashboard.uid}" is also used by "${first.title}" at ${formatSource(first.source)}`,
          hint: 'give each dashboard its own uid',
        };
      }
      const ids = new Map<number, PanelModel>();
      for (const panel of dashboard.panels) {
        const other = ids.get(panel.id);
        if (other) {
          yield {
            target: { kind: 'panel', dashboard, panel },
            message: `panel id ${panel.id} is also used by panel "${other.title}" at ${formatSource(other.source)}`,
            hint: 'give each panel of a dashboard its own id',
          };
        } else ids.set(panel.id, panel);
      }
    }
  },
});
