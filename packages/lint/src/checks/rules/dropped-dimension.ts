import { labelFlow, type ShapeOf } from '../../analysis/label-flow.ts';
import { defineCheck } from '../../check.ts';

export const droppedDimension = defineCheck({
  id: 'rules/dropped-dimension',
  severity: 'error',
  doc: `The organisation's deployment dimensions (\`environment\`, \`cluster\`… declared once with
\`defineDimensions\` and given to \`defineCatalog\`, or listed in the option \`labels\` for plain rule files) must
survive every recording rule and alert: \`sum by (service) (rate(http_requests_total{code=~"5.."}[5m]))\` adds
staging's errors to production's, so staging pages production's on-call and burns its error budget, and no
dashboard can filter the recorded series by environment any more. A finding points at the aggregation on the
path to the result that drops the label while its input carries it (or may carry it: a metric the catalogue does
not know). Keep the label in \`by (…)\` (or out of \`without (…)\`). Dimensions that come from \`external_labels\`
are not listed: the rules' own Prometheus never sees them. A rule that must aggregate across a dimension (a
global business total) says why in a suppression.`,
  options: {
    labels: {
      default: [] as string[],
      doc: "dimension labels to keep besides the catalogue's (for plain rule files)",
    },
  },
  *run({ project, options }) {
    const labels = [...new Set([...(project.catalog?.dimensions?.ruleLabels ?? []), ...options.labels])];
    if (labels.length === 0) return;
    const shapeOf: ShapeOf = (node) => project.shapes.shape(node);
    for (const entry of project.rules) {
      const parsed = entry.expression.parsed;
      if (!parsed.ok) continue;
      for (const label of labels) {
        const { presence, droppedBy: node } = labelFlow(parsed.expr, label, shapeOf);
        if (presence !== 'never' || !node) continue;
        const { rule } = entry;
        yield {
          target: entry.expression.target,
          message: `${node.op}() drops the dimension "${label}": ${rule.kind === 'alert' ? 'alert' : 'recording rule'} ${rule.name} mixes every ${label} together`,
          span: node,
          hint: node.without ? `remove ${label} from without (…)` : `add ${label} to by (…)`,
        };
      }
    }
  },
});
