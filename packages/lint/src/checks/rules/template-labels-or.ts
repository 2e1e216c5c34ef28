import { walk } from '@o11y/promql';
import type { Node } from '../../analysis/ast.ts';
import { labelFlow } from '../../analysis/label-flow.ts';
import { referencedLabels } from '../../analysis/templates.ts';
import { defineCheck } from '../../check.ts';

export const templateLabelsOr = defineCheck({
  id: 'rules/template-labels-or',
  severity: 'warning',
  doc: `\`up{job="api"} == 0 or absent(up{job="api"})\` returns the left side's series when there are any, and otherwise
\`absent()\`'s single series, which has only the equality matchers' labels: a template reading
\`{{ $labels.instance }}\` renders an empty string exactly when that side fires. Reported for each label an alert's
templates read that one side of an \`or\` provably never returns while the other may, at that side (the label-flow
model of rules/template-labels, whose every rule, \`absent()\` and \`or\` included, is proved against promtool's
rendering in the package's tests). Labels the whole expression never returns are rules/template-labels' findings,
labels an aggregation drops promql/fragile-aggregation's. It can be wrong when the side without the label never
fires in practice; a template such as \`{{ with $labels.instance }}…{{ end }}\` that handles the empty value is a
suppression with that reason.`,
  *run({ project }) {
    for (const entry of project.rules) {
      const parsed = entry.expression.parsed;
      if (entry.rule.kind !== 'alert' || !parsed.ok) continue;
      const shapeOf = (node: Node) => project.shapes.shape(node);
      const used = referencedLabels([entry.rule.annotations, entry.rule.labels]);
      for (const [label, keys] of used) {
        const whole = labelFlow(parsed.expr, label, shapeOf);
        if (whole.presence !== 'maybe' || whole.droppedBy) continue;
        const without: Node[] = [];
        walk(parsed.expr, (node) => {
          if (node.type !== 'Binary' || node.op !== 'or') return undefined;
          const sides = [node.lhs, node.rhs].map((side) => labelFlow(side, label, shapeOf).presence);
          if (sides[0] === 'never' && sides[1] !== 'never') without.push(node.lhs);
          if (sides[1] === 'never' && sides[0] !== 'never') without.push(node.rhs);
          return undefined;
        });
        for (const side of without) {
          yield {
            target: entry.expression.target,
            message: `${keys.join(', ')} of alert ${entry.rule.name} read${keys.length === 1 ? 's' : ''} label "${label}", which is empty when this side of or fires`,
            span: side,
            hint:
              side.type === 'Call' && side.func.startsWith('absent')
                ? `give absent() an equality matcher on ${label}, or do not read it`
                : `keep ${label} on this side, or do not read it`,
          };
        }
      }
    }
  },
});
