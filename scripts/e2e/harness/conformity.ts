import type { Catalog, MetricDeclaration } from '@o11y/catalog';
import type { PrometheusApi } from './prometheus-api.ts';

/** Labels Prometheus adds to scraped series whatever the target exposes. */
const TARGET_LABELS = new Set(['__name__', 'job', 'instance']);

/** Catalogue metrics a job may legitimately not expose in the test stack, with the reason. */
export interface Absence {
  readonly metric: string;
  readonly reason: string;
}

/**
 * Differences between what Prometheus scraped and the catalogue: a declared metric with no series,
 * a label the catalogue does not declare, a value outside a declared list, and more distinct values
 * (or series per job) than the declared cardinality allows. Counts are checked per deployment
 * environment (`environmentOf` a scraped series, from its target): the catalogue's jobs count one
 * environment's instances, and the stack runs each environment beside the others.
 */
export async function conformityProblems(
  catalog: Catalog,
  prometheus: PrometheusApi,
  allowedAbsences: readonly Absence[],
  seriesBudget: (metric: MetricDeclaration) => number,
  environmentOf: (labels: Readonly<Record<string, string>>) => string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const metric of catalog.metrics) {
    if (metric.type === 'recorded') continue;
    const totals = new Map<string, number>();
    for (const series of metric.series) {
      const found = await prometheus.series([`{__name__="${series.name}"}`]);
      const declared = new Set([...Object.keys(series.specs), ...TARGET_LABELS]);
      const distinct = new Map<string, Map<string, Set<string>>>();
      for (const labels of found) {
        const environment = environmentOf(labels);
        totals.set(environment, (totals.get(environment) ?? 0) + 1);
        const values = distinct.get(environment) ?? new Map<string, Set<string>>();
        distinct.set(environment, values);
        for (const [name, value] of Object.entries(labels)) {
          if (!declared.has(name)) {
            problems.push(
              `${series.name}: label ${name}="${value}" is not declared (${metric.source.file}:${metric.source.line})`,
            );
            continue;
          }
          values.set(name, (values.get(name) ?? new Set()).add(value));
        }
      }
      for (const [environment, byLabel] of distinct) {
        for (const [name, values] of byLabel) {
          const spec = series.specs[name];
          if (!spec) continue;
          if (spec.kind === 'values') {
            const undeclared = [...values].filter((v) => !spec.values.includes(v));
            if (undeclared.length > 0)
              problems.push(`${series.name}: ${name} takes undeclared values ${undeclared.join(', ')}`);
          } else if (values.size > spec.cardinality) {
            problems.push(
              `${series.name}: ${name} has ${values.size} distinct values in ${environment}, the catalogue allows ${spec.cardinality}`,
            );
          }
        }
      }
      const absence = allowedAbsences.find((a) => a.metric === metric.name);
      if (found.length === 0 && !absence) {
        problems.push(
          `${series.name}: no series scraped (declared at ${metric.source.file}:${metric.source.line})`,
        );
      }
      for (const job of metric.jobs) {
        if (found.length > 0 && !found.some((labels) => labels.job === job.name) && !absence) {
          problems.push(`${series.name}: job ${job.name} exposes no series of it`);
        }
      }
    }
    const budget = seriesBudget(metric);
    for (const [environment, total] of totals) {
      if (total > budget)
        problems.push(
          `${metric.name}: ${total} series scraped in ${environment}, more than the catalogue's estimate of ${budget}`,
        );
    }
  }
  return problems;
}
