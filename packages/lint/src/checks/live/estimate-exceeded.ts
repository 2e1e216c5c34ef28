import { formatSource } from '@o11y/core';
import { estimateCardinality } from '../../cardinality.ts';
import { defineCheck } from '../../check.ts';

export const estimateExceeded = defineCheck({
  id: 'live/estimate-exceeded',
  severity: 'warning',
  doc: `Only with \`--prometheus-url\`: the static estimates are upper bounds, so a selector that matches more series
on the live server than estimated means the catalogue is wrong: a label has more values than listed or estimated,
or a job has more instances. The budgets are then not protecting anything. Reported at the first place the
selector is written, naming the catalogue declaration to correct.`,
  *run({ project }) {
    const live = project.live;
    if (!live) return;
    for (const selector of estimateCardinality(project).selectors) {
      const actual = live.selectors.get(selector.text);
      if (actual === undefined || !selector.complete || actual <= selector.series) continue;
      const first = selector.occurrences[0]!;
      const declared = selector.metric ? project.catalogued(selector.metric) : undefined;
      const origin = declared?.origins[0];
      yield {
        target: first.target,
        message: `${selector.text} has ${actual} series on ${live.address}, more than the estimated ${selector.series}`,
        span: first.span,
        hint:
          origin?.kind === 'catalog'
            ? `raise the label estimates of ${origin.declaration.name} at ${formatSource(origin.declaration.source)}`
            : 'correct the catalogue declaration of the metric',
      };
    }
  },
});
