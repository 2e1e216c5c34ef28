import { estimateCardinality } from '../../cardinality.ts';
import { defineCheck } from '../../check.ts';

export const seriesMissing = defineCheck({
  id: 'live/series-missing',
  severity: 'warning',
  doc: `Only with \`--prometheus-url\`: every selector of the project is looked up with the series API over the
\`--lookback\` window (default 1h), and a selector that matches no series is reported where it is written. The metric
may be misspelt, its labels or values may differ from what the catalogue says, the target may not be scraped,
or the recording rule that writes it may not be loaded on that server. Selectors with Grafana variables are not
queried.`,
  *run({ project }) {
    const live = project.live;
    if (!live) return;
    for (const selector of estimateCardinality(project).selectors) {
      if (live.selectors.get(selector.text) !== 0) continue;
      for (const { target, span } of selector.occurrences) {
        yield {
          target,
          message: `${selector.text} matches no series on ${live.address}`,
          span,
          hint: 'check the metric and label names against what the server has (its /api/v1/labels and /api/v1/series)',
        };
      }
    }
  },
});
