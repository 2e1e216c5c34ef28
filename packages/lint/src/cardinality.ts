import { compareCodePoints, type RuleGroupModel } from '@o11y/core';
import { ShapeResolver } from './analysis/shape.ts';
import { nodesOf } from './analysis/visit.ts';
import { describeTarget, type Span, sourceOf, type Target } from './check.ts';
import type { Expression, LintProject } from './project.ts';

/** One estimated item: an upper bound of its series, `complete` when every metric below it was known. */
export interface Estimate {
  readonly target: Target;
  readonly subject: string;
  readonly series: number;
  readonly complete: boolean;
}

/** One distinct selector of the project, as written, with the series it touches. */
export interface SelectorEstimate {
  readonly text: string;
  readonly metric: string | undefined;
  readonly series: number;
  readonly complete: boolean;
  /** Where it is written: the expressions it appears in and its place in each. */
  readonly occurrences: readonly { readonly target: Target; readonly span: Span }[];
}

export interface CardinalityReport {
  readonly rules: readonly Estimate[];
  readonly groups: readonly Estimate[];
  readonly queries: readonly Estimate[];
  readonly selectors: readonly SelectorEstimate[];
  /** Series every recording rule together adds to the TSDB. */
  readonly recordedTotal: { readonly series: number; readonly complete: boolean };
}

function estimateOf(project: LintProject, expression: Expression): Estimate | undefined {
  const shape = project.shapeOf(expression);
  if (!shape || shape.value === 'string') return undefined;
  return {
    target: expression.target,
    subject: describeTarget(expression.target),
    series: shape.series,
    complete: shape.complete,
  };
}

/** A selector's text, unless it contains a Grafana variable (then it is not a query Prometheus can run). */
function selectorText(expression: Expression, start: number, end: number): string | undefined {
  const text = expression.text.slice(start, end);
  return 'variables' in expression.parsed &&
    expression.parsed.variables.some((use) => use.start < end && use.end > start)
    ? undefined
    : text;
}

/**
 * The static estimates of a project: each recording rule and alert, each group (sum of its rules),
 * each dashboard query, each distinct selector, and the total recording rules add. The rules are in
 * the issue's words: matchers narrow label counts, by/without keep or drop labels, joins take the
 * "many" side, `or` adds, histogram_quantile divides by the number of `le` values, and recording rules'
 * outputs feed back into the catalogue.
 */
export function estimateCardinality(project: LintProject): CardinalityReport {
  const cached = reports.get(project);
  if (cached) return cached;
  const report = computeReport(project);
  reports.set(project, report);
  return report;
}

const reports = new WeakMap<LintProject, CardinalityReport>();

function computeReport(project: LintProject): CardinalityReport {
  const rules: Estimate[] = [];
  const perGroup = new Map<RuleGroupModel, { series: number; complete: boolean }>();
  let recorded = 0;
  let recordedComplete = true;
  for (const entry of project.rules) {
    const estimate = estimateOf(project, entry.expression);
    const group = perGroup.get(entry.group) ?? { series: 0, complete: true };
    perGroup.set(entry.group, group);
    if (!estimate) {
      group.complete = false;
      continue;
    }
    rules.push(estimate);
    group.series += estimate.series;
    group.complete &&= estimate.complete;
    if (entry.rule.kind === 'record') {
      recorded += estimate.series;
      recordedComplete &&= estimate.complete;
    }
  }
  const groups: Estimate[] = [...perGroup].map(([group, total]) => ({
    target: { kind: 'group', group },
    subject: describeTarget({ kind: 'group', group }),
    ...total,
  }));
  const queries = project.queries.flatMap((q) => estimateOf(project, q.expression) ?? []);

  const bySelector = new Map<string, SelectorEstimate & { occurrences: { target: Target; span: Span }[] }>();
  for (const { expression, node } of nodesOf(project, 'VectorSelector')) {
    const text = selectorText(expression, node.start, node.end);
    if (text === undefined) continue;
    const occurrence = { target: expression.target, span: { start: node.start, end: node.end } };
    const existing = bySelector.get(text);
    if (existing) {
      existing.occurrences.push(occurrence);
      continue;
    }
    const shape = project.shapes.shape(node);
    const metric = ShapeResolver.metricName(node);
    bySelector.set(text, {
      text,
      metric,
      series: shape.series,
      complete: shape.complete,
      occurrences: [occurrence],
    });
  }
  const selectorEstimates = [...bySelector.values()].sort((a, b) => compareCodePoints(a.text, b.text));
  return {
    rules,
    groups,
    queries,
    selectors: selectorEstimates,
    recordedTotal: { series: recorded, complete: recordedComplete },
  };
}

/** The `--cardinality` table: the most expensive rules, groups and queries, then the totals. */
export function formatCardinalityTable(report: CardinalityReport, top = 20): string {
  const bound = (e: { series: number; complete: boolean }) =>
    `${e.complete ? '' : '≥'}${Number.isFinite(e.series) ? e.series : '∞'}`;
  const items = [...report.rules, ...report.queries]
    .sort((a, b) => b.series - a.series || compareCodePoints(a.subject, b.subject))
    .slice(0, top);
  const rows = items.map((e) => {
    const source = sourceOf(e.target);
    return [bound(e), e.subject, source ? `${source.file}:${source.line}` : ''];
  });
  const groupRows = [...report.groups]
    .sort((a, b) => b.series - a.series || compareCodePoints(a.subject, b.subject))
    .slice(0, top)
    .map((e) => [bound(e), e.subject, '']);
  const width = Math.max(6, ...[...rows, ...groupRows].map((r) => r[0]!.length));
  const subjectWidth = Math.max(4, ...[...rows, ...groupRows].map((r) => r[1]!.length));
  const line = (r: string[]) => `${r[0]!.padStart(width)}  ${r[1]!.padEnd(subjectWidth)}  ${r[2]}`.trimEnd();
  const alerts = report.rules.filter((e) => e.target.kind === 'rule' && e.target.rule.kind === 'alert');
  const sum = (list: readonly Estimate[]) => ({
    series: list.reduce((n, e) => n + e.series, 0),
    complete: list.every((e) => e.complete),
  });
  return [
    `Most expensive rules and queries (estimated series, upper bounds; ≥ marks estimates with unknown metrics):`,
    line(['series', 'item', 'defined at']),
    ...rows.map(line),
    '',
    'Rule groups:',
    ...groupRows.map(line),
    '',
    `Series added by recording rules: ${bound(report.recordedTotal)}`,
    `Alert series (ALERTS) at most:   ${bound(sum(alerts))}`,
    `Series read by dashboard queries: ${bound(sum(report.queries))}`,
    '',
  ].join('\n');
}
