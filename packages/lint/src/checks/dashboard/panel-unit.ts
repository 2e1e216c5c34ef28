import { defineCheck } from '../../check.ts';

export const panelUnit = defineCheck({
  id: 'dashboard/panel-unit',
  severity: 'warning',
  doc: `A graph or stat of seconds, bytes or a ratio without a unit shows \`0.000231\` instead of \`231 µs\`, and
readers guess. Panels of the types in the option \`panelTypes\` that have queries must set a unit (\`s\`,
\`bytes\`, \`percentunit\`, \`reqps\`, or \`short\`/\`none\` for plain counts).`,
  options: {
    panelTypes: {
      default: ['timeseries', 'stat', 'gauge', 'bargauge', 'heatmap', 'graph'],
      doc: 'panel types that must have a unit',
    },
  },
  *run({ project, options }) {
    for (const dashboard of project.model.dashboards) {
      for (const panel of dashboard.panels) {
        if (panel.queries.length === 0 || !options.panelTypes.includes(panel.type) || panel.unit) continue;
        yield {
          target: { kind: 'panel', dashboard, panel },
          message: `${panel.type} panel "${panel.title}" has no unit`,
          hint: 'set the unit (s, bytes, percentunit, reqps…; short or none for plain counts)',
        };
      }
    }
  },
});
