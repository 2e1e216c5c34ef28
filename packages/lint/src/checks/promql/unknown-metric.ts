import { ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';
import { ALERT_SERIES } from '../../series.ts';

export const unknownMetric = defineCheck({
  id: 'promql/unknown-metric',
  severity: 'error',
  doc: `Every metric an expression selects must be declared in the metric catalogue or be written by a recording
rule of the project: an unknown name is usually a typo or a metric that was renamed, and the query silently
returns nothing. \`ALERTS\` and \`ALERTS_FOR_STATE\`, which Prometheus writes for every alerting rule it evaluates, are
known: their labels are each alert's labels plus \`alertname\` (and \`alertstate\`), so the label checks judge them
against the project's alerts. Not run without a catalogue (plain files linted alone). Dashboard queries on names that
look like recording rules are reported by dashboard/missing-recording-rule instead.`,
  *run({ project }) {
    if (!project.catalog) return;
    for (const { expression, node } of nodesOf(project, 'VectorSelector')) {
      const name = ShapeResolver.metricName(node);
      if (name === undefined || ALERT_SERIES.has(name)) continue;
      if (project.catalogued(name) || project.recordersOf(name).length > 0) continue;
      if (expression.target.kind === 'query' && project.looksRecorded(name)) continue;
      yield {
        target: expression.target,
        message: `unknown metric ${name}: neither in the catalogue nor recorded by a rule`,
        span: node,
        hint: 'fix the name, declare the metric in catalog/, or add the recording rule',
      };
    }
  },
});
