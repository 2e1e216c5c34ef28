import { defineCheck } from '../../check.ts';

export const tooManyPanels = defineCheck({
  id: 'dashboard/too-many-panels',
  severity: 'warning',
  doc: `Every panel runs its queries on each refresh: a dashboard with more than \`max\` panels is slow to load,
loads Prometheus heavily for everyone who opens it, and is hard to read. Split it, link the parts, or move detail
into collapsed rows' own dashboards.`,
  options: { max: { default: 40, doc: 'most panels a dashboard may have' } },
  *run({ project, options }) {
    for (const dashboard of project.model.dashboards) {
      if (dashboard.panels.length <= options.max) continue;
      yield {
        target: { kind: 'dashboard', dashboard },
        message: `dashboard ${dashboard.uid} has ${dashboard.panels.length} panels (at most ${options.max})`,
        hint: 'split it into linked dashboards',
      };
    }
  },
});
