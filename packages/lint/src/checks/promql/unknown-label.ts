import type { Node } from '../../analysis/ast.ts';
import { ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck, type Finding } from '../../check.ts';
import type { Expression } from '../../project.ts';

export const unknownLabel = defineCheck({
  id: 'promql/unknown-label',
  severity: 'error',
  doc: `A label used in a matcher, in \`by (…)\` / \`without (…)\`, or in \`on (…)\` / \`ignoring (…)\` must be one the
series carries: its declared labels plus \`job\` and \`instance\` (and \`le\` for histogram buckets, \`quantile\` for
summaries), or the labels a recording rule's expression keeps. A matcher on a label the series lacks matches
nothing (or everything, for \`!=\`); grouping by it groups nothing. Only reported when the labels are fully known.
Dashboard queries may also match the labels of the deployment dimensions set by \`external_labels\` (\`cluster\`):
the central store they read puts them on every series, though the catalogue does not list them.`,
  *run({ project }) {
    const report = (expression: Expression, span: Node, label: string, where: string): Finding => ({
      target: expression.target,
      message: `${where} has no label "${label}"`,
      span,
      hint: 'check the spelling against the catalogue, or drop the label',
    });
    for (const { expression, node } of nodesOf(project, 'VectorSelector')) {
      const name = ShapeResolver.metricName(node);
      const series = name === undefined ? undefined : project.series(name);
      if (!series) continue;
      for (const matcher of node.matchers) {
        if (matcher.name === '__name__' || matcher.name in series.specs) continue;
        if (expression.target.kind === 'query' && project.externalLabels.includes(matcher.name)) continue;
        yield report(expression, node, matcher.name, name!);
      }
    }
    for (const { expression, node } of nodesOf(project, 'Aggregate')) {
      const input = project.shapes.shape(node.expr);
      if (input.open) continue;
      for (const label of node.grouping)
        if (!input.labels.has(label)) yield report(expression, node, label, `the input of ${node.op}()`);
    }
    for (const { expression, node } of nodesOf(project, 'Binary')) {
      if (!node.matching?.on) continue;
      const lhs = project.shapes.shape(node.lhs);
      const rhs = project.shapes.shape(node.rhs);
      if (lhs.open || rhs.open) continue;
      // A label neither side has is a typo; one side lacking it is promql/vector-matching's finding.
      for (const label of node.matching.labels)
        if (!lhs.labels.has(label) && !rhs.labels.has(label))
          yield report(expression, node, label, `either side of "${node.op}"`);
    }
  },
});
