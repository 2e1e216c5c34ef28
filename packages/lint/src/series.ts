import type { Catalog, JointCap, LabelSpec, MetricDeclaration, MetricType, SampleKind } from '@o11y/catalog';
import { parseDuration, type RuleGroupModel, type RuleModel } from '@o11y/core';

/** What lint needs of the metric catalogue: every declared metric, to look series up by name. */
/** What lint reads of a catalogue: its metrics, and the deployment dimensions and log streams when it declares them. */
export type MetricCatalog = Pick<Catalog, 'metrics'> & Partial<Pick<Catalog, 'dimensions' | 'logStreams'>>;

export interface ScrapedBy {
  readonly job: string;
  readonly intervalMs: number;
  readonly instances: number;
}

/** Where a known series comes from: a catalogue declaration, or a recording rule of the project. */
export type SeriesOrigin =
  | { readonly kind: 'catalog'; readonly declaration: MetricDeclaration }
  | { readonly kind: 'rule'; readonly group: RuleGroupModel; readonly rule: RuleModel };

/** One selectable series name with its labels, as the checks and the cardinality estimate read it. */
export interface KnownSeries {
  readonly name: string;
  readonly kind: SampleKind;
  readonly type: MetricType;
  /** Every label the series carries, with its listed values or distinct-value estimate. */
  readonly specs: Readonly<Record<string, LabelSpec>>;
  readonly jointCaps: readonly JointCap[];
  readonly scrapedBy: readonly ScrapedBy[];
  readonly origins: readonly SeriesOrigin[];
  /** A name several recording rules write: each rule's own series, estimated separately. */
  readonly parts?: readonly KnownSeries[];
}

/**
 * Series Prometheus itself writes for every alerting rule it evaluates: `ALERTS` (1 while pending or
 * firing, with `alertstate`) and `ALERTS_FOR_STATE` (the time the alert became active, for restoring `for`).
 */
export const ALERT_SERIES: ReadonlySet<string> = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

/** Catalogue series by name (`x`, `x_bucket`, `x_sum`, `x_count`, and declared recorded series). */
export function catalogueSeries(catalog: MetricCatalog | undefined): Map<string, KnownSeries> {
  const byName = new Map<string, KnownSeries>();
  for (const declaration of catalog?.metrics ?? []) {
    for (const series of declaration.series) {
      byName.set(series.name, {
        name: series.name,
        kind: series.kind,
        type: declaration.type,
        specs: series.specs,
        jointCaps: declaration.jointCaps.filter((cap) =>
          [...cap.labels, ...(cap.per ?? [])].every((l) => l in series.specs),
        ),
        scrapedBy: declaration.jobs.map((job) => ({
          job: job.name,
          intervalMs: parseDuration(job.scrapeInterval),
          instances: job.instances,
        })),
        origins: [{ kind: 'catalog', declaration }],
      });
    }
  }
  return byName;
}
