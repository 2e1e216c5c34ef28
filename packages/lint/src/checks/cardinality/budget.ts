import { type Estimate, estimateCardinality } from '../../cardinality.ts';
import { defineCheck, type Finding } from '../../check.ts';

export const budget = defineCheck({
  id: 'cardinality/budget',
  severity: 'error',
  doc: `Fails the lint when a static series estimate exceeds a budget of \`o11y.config.ts\`: \`budgets.rule\` (series
one recording rule or alert produces), \`budgets.group\` (a rule group's total), \`budgets.query\` (series one
dashboard query returns) and \`budgets.recordedTotal\` (series all recording rules add). Estimates are upper
bounds computed from the catalogue before any series exists (see \`o11y lint --cardinality\`): matchers narrow
label counts, \`by\`/\`without\` keep or drop labels, joins take the "many" side, \`or\` adds, \`histogram_quantile\`
divides by the number of buckets, and recording rules' outputs feed back into the catalogue.`,
  *run({ project }) {
    const budgets = project.budgets;
    const report = estimateCardinality(project);
    const over = (estimates: readonly Estimate[], limit: number | undefined, what: string): Finding[] =>
      limit === undefined
        ? []
        : estimates
            .filter((e) => e.series > limit)
            .map((e) => ({
              target: e.target,
              message: `${e.subject} produces up to ${e.series} series, over the ${what} budget of ${limit}`,
              hint: 'aggregate away a high-cardinality label, narrow the selector, or raise the budget in o11y.config.ts',
            }));
    yield* over(report.rules, budgets.rule, 'per-rule');
    yield* over(report.groups, budgets.group, 'per-group');
    yield* over(report.queries, budgets.query, 'per-query');
    const total = report.recordedTotal;
    if (budgets.recordedTotal !== undefined && total.series > budgets.recordedTotal) {
      yield {
        target: { kind: 'project' },
        message: `recording rules add up to ${total.series} series, over the total budget of ${budgets.recordedTotal}`,
        hint: 'see o11y lint --cardinality for the most expensive rules',
      };
    }
  },
});
