import type { DiffLine } from './lines.ts';

/** One semantic change inside an artifact. */
export interface Change {
  /** e.g. `query`, `panel-added`, `unit`, `expr`, `receiver-changed`. */
  readonly kind: string;
  /** What changed, for people: `panel "Request rate" query A`. */
  readonly subject: string;
  readonly before?: string;
  readonly after?: string;
  /** Line diff of prettified PromQL (or another multi-line value). */
  readonly lines?: readonly DiffLine[];
}

export type Status = 'added' | 'removed' | 'changed';

export interface ItemDiff {
  /** Dashboard uid, rule `group/name`, SLO name, receiver name… */
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  /** Where it lives: dashboard folder path, rule file. */
  readonly location?: string;
  readonly changes: readonly Change[];
}

export interface SectionDiff {
  /** `Dashboards`, `Rules`, `SLOs`, `Alertmanager`. */
  readonly name: string;
  readonly items: readonly ItemDiff[];
}

export interface CardinalityDiff {
  readonly before: number;
  readonly after: number;
}

export interface DiffReport {
  readonly sections: readonly SectionDiff[];
  /** Present when both builds' manifests carry `estimatedSeries`. */
  readonly cardinality?: CardinalityDiff;
}

export interface DiffOptions {
  /** Prettifies a PromQL expression (@o11y/promql `prettify`); identity when absent. */
  readonly formatQuery?: (expr: string) => string;
}

export function isEmpty(report: DiffReport): boolean {
  return report.sections.every((s) => s.items.length === 0) && report.cardinality === undefined;
}
