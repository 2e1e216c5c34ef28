import { defineCheck } from '../../check.ts';

export const rawExpression = defineCheck({
  id: 'promql/raw-expression',
  severity: 'warning',
  doc: `An expression of a TypeScript definition written through the \`raw()\` escape hatch of the typed PromQL
layer: the compiler did not check its metric names, labels, label values or counter/gauge use, and whoever
changes the catalogue gets no type error here. Lint still parses and checks it, but prefer the typed builders,
or suppress this check for the rule or panel with the reason the typed layer cannot express it. Plain rule files
and dashboards are all PromQL text and are not reported.`,
  *run({ project }) {
    for (const expression of project.expressions) {
      const target = expression.target;
      const owner = target.kind === 'rule' ? target.rule : target.query;
      if (!owner.raw) continue;
      yield {
        target,
        message: 'written as raw PromQL: names, labels and types were not checked by the compiler',
        hint: 'use the typed expression layer, or suppress with the reason it cannot express this',
      };
    }
  },
});
