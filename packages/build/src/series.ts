import path from 'node:path';
import { DIST } from '@o11y/core';
import { estimateCardinality, type LintProject } from '@o11y/lint';

/**
 * The series estimate of each rule file (the sum over its groups' rules) and each dashboard (the sum
 * over its queries), by artifact path, as lint's cardinality analysis computes them. Only the
 * Prometheus rule file carries its rules' estimate (not the Mimir or operator copy of the same rules),
 * so the manifest's total counts every series once. Unbounded estimates are left out.
 */
export function estimatedSeries(project: LintProject): Map<string, number> {
  const report = estimateCardinality(project);
  const totals = new Map<string, number>();
  const add = (artifact: string, series: number) => {
    if (Number.isFinite(series)) totals.set(artifact, (totals.get(artifact) ?? 0) + series);
  };
  for (const estimate of report.groups) {
    if (estimate.target.kind !== 'group') continue;
    // The model names a group's file as the user reads it, `dist/prometheus/rules/…`.
    add(path.posix.relative('dist', estimate.target.group.file), estimate.series);
  }
  for (const estimate of report.queries) {
    if (estimate.target.kind !== 'query') continue;
    const { folder, uid } = estimate.target.dashboard;
    add(DIST.grafana.dashboard(folder, uid), estimate.series);
  }
  return totals;
}
