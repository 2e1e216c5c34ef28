import { compareCodePoints } from '@o11y/core';
import { selectors } from '@o11y/promql';
import type { Node, NodeOf } from '../../analysis/ast.ts';
import { labelFlow } from '../../analysis/label-flow.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';
import type { LintProject } from '../../project.ts';

function missing(labels: Iterable<string>, from: ReadonlyMap<string, unknown>): string[] {
  return [...labels].filter((l) => !from.has(l)).sort(compareCodePoints);
}

/**
 * Why two sides of which one is not fully known still never match: a matching label one side always
 * carries (an equality matcher, a label_replace) and the other never does (dropped by an aggregation),
 * by the label-flow model that rules/template-labels uses.
 */
function unmatchable(project: LintProject, node: NodeOf<'Binary'>): string[] {
  const matching = node.matching!;
  const shapeOf = (n: Node) => project.shapes.shape(n);
  const candidates = new Set(matching.on ? matching.labels : []);
  if (!matching.on) {
    for (const side of [node.lhs, node.rhs]) {
      for (const label of project.shapes.shape(side).labels.keys()) candidates.add(label);
      for (const selector of selectors(side)) for (const m of selector.matchers) candidates.add(m.name);
    }
    for (const label of matching.labels) candidates.delete(label);
    candidates.delete('__name__');
  }
  const problems: string[] = [];
  for (const label of [...candidates].sort(compareCodePoints)) {
    const left = labelFlow(node.lhs, label, shapeOf).presence;
    const right = labelFlow(node.rhs, label, shapeOf).presence;
    if (left === 'always' && right === 'never') problems.push(`only the left side has ${label}`);
    if (left === 'never' && right === 'always') problems.push(`only the right side has ${label}`);
  }
  return problems;
}

export const vectorMatching = defineCheck({
  id: 'promql/vector-matching',
  severity: 'error',
  doc: `A binary operation between two vectors only pairs series whose matching labels are equal. When one side
has a label the other lacks (\`on (service)\` where the right side has no \`service\`, or a one-to-one \`a / b\` where
\`a\` has \`method\` and \`b\` does not), nothing ever matches and the result is empty: an alert that cannot fire, a
panel with no data. \`group_left (x)\` / \`group_right (x)\` labels must exist on the "one" side. Only reported when
both sides' labels are fully known from the catalogue, or when a matching label is provably on one side and
never on the other whatever the unknown metrics carry (\`foo{job="a"} unless sum(foo)\`: \`sum\` keeps no label, so
\`unless\` removes nothing), by the label-flow model of rules/template-labels; \`or\` never needs matching labels and
is skipped.`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'Binary')) {
      const matching = node.matching;
      if (!matching || node.op === 'or') continue;
      const lhs = project.shapes.shape(node.lhs);
      const rhs = project.shapes.shape(node.rhs);
      if (lhs.value !== 'vector' || rhs.value !== 'vector') continue;
      const problems: string[] = [];
      if (lhs.open || rhs.open) problems.push(...unmatchable(project, node));
      else {
        if (matching.on) {
          const left = missing(matching.labels, lhs.labels);
          const right = missing(matching.labels, rhs.labels);
          if (left.join() !== right.join()) {
            if (left.length > 0) problems.push(`the left side has no ${left.join(', ')}`);
            if (right.length > 0) problems.push(`the right side has no ${right.join(', ')}`);
          }
        } else {
          const ignored = new Set(matching.labels);
          const left = missing(
            [...rhs.labels.keys()].filter((l) => !ignored.has(l)),
            lhs.labels,
          );
          const right = missing(
            [...lhs.labels.keys()].filter((l) => !ignored.has(l)),
            rhs.labels,
          );
          if (left.length > 0) problems.push(`only the right side has ${left.join(', ')}`);
          if (right.length > 0) problems.push(`only the left side has ${right.join(', ')}`);
        }
        const one = matching.cardinality === 'one-to-many' ? lhs : rhs;
        const absentInclude = missing(matching.include, one.labels);
        if (absentInclude.length > 0)
          problems.push(
            `the "one" side has no ${absentInclude.join(', ')} for group_${matching.cardinality === 'one-to-many' ? 'right' : 'left'} to copy`,
          );
      }
      if (problems.length === 0) continue;
      yield {
        target: expression.target,
        message: `"${node.op}" matches no series: ${problems.join('; ')}`,
        span: node,
        hint: matching.on
          ? 'match on labels both sides have'
          : 'add on (…) with the labels both sides share, or ignoring (…) the extra ones',
      };
    }
  },
});
