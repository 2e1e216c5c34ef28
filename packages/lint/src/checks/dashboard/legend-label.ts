import { compareCodePoints } from '@o11y/core';
import { defineCheck } from '../../check.ts';

const LEGEND_LABEL = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

export const legendLabel = defineCheck({
  id: 'dashboard/legend-label',
  severity: 'warning',
  doc: `A legend format such as \`{{route}} {{status}}\` can only show labels the query returns; after
\`sum by (route) (…)\` the \`{{status}}\` part is empty for every series, and series that differ only there get the
same legend. Only reported when the query's labels are fully known.`,
  *run({ project }) {
    for (const { query, expression } of project.queries) {
      if (!query.legendFormat) continue;
      const shape = project.shapeOf(expression);
      if (!shape || shape.open) continue;
      const absent = [...new Set([...query.legendFormat.matchAll(LEGEND_LABEL)].map((m) => m[1]!))]
        .filter((label) => !shape.labels.has(label) && label !== '__name__')
        .sort(compareCodePoints);
      if (absent.length === 0) continue;
      const kept = [...shape.labels.keys()].sort(compareCodePoints).join(', ') || 'none';
      yield {
        target: expression.target,
        message: `legend "${query.legendFormat}" uses ${absent.map((l) => `{{${l}}}`).join(', ')}, which the query does not return (it returns: ${kept})`,
        hint: 'keep the label in the aggregation, or change the legend',
      };
    }
  },
});
