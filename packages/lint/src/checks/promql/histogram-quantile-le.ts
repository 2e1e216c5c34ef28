import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

export const histogramQuantileLe = defineCheck({
  id: 'promql/histogram-quantile-le',
  severity: 'error',
  doc: `\`histogram_quantile\` needs the bucket boundary label \`le\` on its input: an aggregation such as
\`sum by (job) (rate(x_bucket[5m]))\` that drops \`le\` leaves it nothing to interpolate, and it returns no data.
Keep \`le\` in every \`by (…)\` between the buckets and \`histogram_quantile\`. Only reported when every label of
the input is known from the catalogue.`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'Call')) {
      const input = node.args[1];
      if (node.func !== 'histogram_quantile' || !input) continue;
      const shape = project.shapes.shape(input);
      if (shape.open || shape.value !== 'vector' || shape.labels.has('le')) continue;
      yield {
        target: expression.target,
        message: 'histogram_quantile() input has no "le" label: the aggregation below drops the buckets',
        span: input,
        hint: 'add le to the by (…) clause, e.g. sum by (le, job) (rate(x_bucket[5m]))',
      };
    }
  },
});
