import type { SourceLocation } from './source.ts';

/**
 * The neutral model that checks (lint, diff, cardinality, end-to-end) read. Builder packages produce
 * it from their definitions, with the TypeScript line of every rule, panel and query; the lint
 * package also produces it from plain rule files and dashboard JSON, with file:line of the YAML/JSON.
 */
/**
 * The alert severities Alertmanager routes on (critical pages, warning and info notify): the builders'
 * type and lint's `rules/required-labels` both read this one list.
 */
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;

export interface RuleModel {
  readonly kind: 'alert' | 'record';
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly source: SourceLocation;
  /** Written as a raw PromQL string through the escape hatch instead of the typed expression layer. */
  readonly raw?: boolean;
}

export interface RuleGroupModel {
  readonly name: string;
  /** The rule file the group is written to, relative to dist/ (or the linted file). */
  readonly file: string;
  readonly interval?: string;
  readonly limit?: number;
  readonly queryOffset?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly rules: readonly RuleModel[];
  readonly source: SourceLocation;
}

export interface QueryModel {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  /** The query's min step (Grafana's `interval` of the target), as written: `1h`, `$interval`. */
  readonly interval?: string;
  /** The datasource reference exactly as written in the panel JSON. */
  readonly datasource?: unknown;
  readonly source: SourceLocation;
  readonly raw?: boolean;
}

export interface PanelModel {
  readonly id: number;
  readonly title: string;
  readonly type: string;
  readonly unit?: string;
  readonly description?: string;
  readonly datasource?: unknown;
  readonly queries: readonly QueryModel[];
  /** Threshold steps drawn on the panel (values only, base step excluded). */
  readonly thresholds: readonly number[];
  readonly source: SourceLocation;
}

export interface VariableModel {
  readonly name: string;
  readonly type: string;
  readonly query?: string;
  readonly datasource?: unknown;
}

export interface DashboardModel {
  readonly uid: string;
  readonly title: string;
  /** Folder path, e.g. `billing` or `ops/databases`. */
  readonly folder?: string;
  readonly variables: readonly VariableModel[];
  readonly panels: readonly PanelModel[];
  readonly source: SourceLocation;
}

export interface ScrapeJobModel {
  readonly job: string;
  readonly scrapeInterval: string;
  readonly source: SourceLocation;
}

export interface ProjectModel {
  readonly ruleGroups: readonly RuleGroupModel[];
  readonly dashboards: readonly DashboardModel[];
  readonly scrapeJobs: readonly ScrapeJobModel[];
  /** Rule groups of Loki's ruler: the same shape, with LogQL expressions. */
  readonly lokiRuleGroups?: readonly RuleGroupModel[];
}
