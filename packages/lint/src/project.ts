import type { LabelSpec } from '@o11y/catalog';
import {
  type DashboardModel,
  type PanelModel,
  type ProjectModel,
  parseDuration,
  type QueryModel,
  type RuleGroupModel,
  type RuleModel,
} from '@o11y/core';
import { type DashboardParseResult, type ParseResult, parse, parseDashboardQuery } from '@o11y/promql';
import { type LabelBound, mergeBound, narrowLabel, type Shape, ShapeResolver } from './analysis/shape.ts';
import type { Target } from './check.ts';
import type { Budgets } from './config.ts';
import type { LiveData } from './live/data.ts';
import { catalogueSeries, type KnownSeries, type MetricCatalog } from './series.ts';

export type RuleTarget = Extract<Target, { kind: 'rule' }>;
export type QueryTarget = Extract<Target, { kind: 'query' }>;

/** One PromQL expression of the project: a rule's `expr` or a dashboard query, parsed once. */
export interface Expression {
  readonly target: RuleTarget | QueryTarget;
  readonly text: string;
  /** Dashboard queries are parsed with Grafana's variables and macros replaced by placeholders. */
  readonly parsed: ParseResult | DashboardParseResult;
}

export interface RuleEntry {
  readonly group: RuleGroupModel;
  readonly rule: RuleModel;
  readonly expression: Expression;
}

export interface QueryEntry {
  readonly dashboard: DashboardModel;
  readonly panel: PanelModel;
  readonly query: QueryModel;
  readonly expression: Expression;
}

function datasourceType(datasource: unknown, dashboard: DashboardModel): string | undefined {
  if (typeof datasource === 'object' && datasource !== null) {
    const { type, uid } = datasource as { type?: unknown; uid?: unknown };
    if (typeof type === 'string' && !type.startsWith('$')) return type;
    return datasourceType(uid, dashboard);
  }
  if (typeof datasource !== 'string') return undefined;
  const variable = /^\$\{?(\w+)/.exec(datasource)?.[1];
  if (!variable) return undefined;
  const declared = dashboard.variables.find((v) => v.name === variable && v.type === 'datasource');
  return declared?.query;
}

/** Queries of Loki, Tempo or other datasources are not PromQL; a query with no datasource type is. */
function isPrometheusQuery(query: QueryModel, panel: PanelModel, dashboard: DashboardModel): boolean {
  const type = datasourceType(query.datasource, dashboard) ?? datasourceType(panel.datasource, dashboard);
  return type === undefined || type === 'prometheus';
}

function specOf(bound: LabelBound): LabelSpec {
  if (bound.values) return { kind: 'values', values: bound.values };
  return { kind: 'cardinality', cardinality: Number.isFinite(bound.count) ? Math.max(1, bound.count) : 1 };
}

/**
 * The model the checks read: the project model with every expression parsed, the series each name
 * resolves to (catalogue metrics, and recording rules' outputs estimated from their expressions),
 * and the scrape interval of each job.
 */
export class LintProject {
  readonly rules: readonly RuleEntry[];
  readonly queries: readonly QueryEntry[];
  readonly expressions: readonly Expression[];
  readonly shapes: ShapeResolver;
  private readonly catalogue: Map<string, KnownSeries>;
  private readonly recorders = new Map<string, RuleEntry[]>();
  private readonly recorded = new Map<string, KnownSeries | undefined>();
  private readonly intervals = new Map<string, number>();
  /** What a live Prometheus reported (`--prometheus-url`); the live checks do nothing without it. */
  live: LiveData | undefined;

  constructor(
    readonly model: ProjectModel,
    readonly catalog: MetricCatalog | undefined,
    readonly budgets: Budgets = {},
  ) {
    this.catalogue = catalogueSeries(catalog);
    this.rules = model.ruleGroups.flatMap((group) =>
      group.rules.map((rule) => ({
        group,
        rule,
        expression: { target: { kind: 'rule', group, rule }, text: rule.expr, parsed: parse(rule.expr) },
      })),
    );
    this.queries = model.dashboards.flatMap((dashboard) => {
      const variables = dashboard.variables.map((v) => v.name);
      return dashboard.panels.flatMap((panel) =>
        panel.queries
          .filter((query) => isPrometheusQuery(query, panel, dashboard))
          .map((query) => ({
            dashboard,
            panel,
            query,
            expression: {
              target: { kind: 'query', dashboard, panel, query } as const,
              text: query.expr,
              parsed: parseDashboardQuery(query.expr, variables),
            },
          })),
      );
    });
    this.expressions = [...this.rules.map((r) => r.expression), ...this.queries.map((q) => q.expression)];
    for (const entry of this.rules) {
      if (entry.rule.kind !== 'record') continue;
      const list = this.recorders.get(entry.rule.name) ?? [];
      list.push(entry);
      this.recorders.set(entry.rule.name, list);
    }
    for (const series of this.catalogue.values())
      for (const scraped of series.scrapedBy) this.intervals.set(scraped.job, scraped.intervalMs);
    // The Prometheus configuration of the build is what really runs; it wins over the catalogue.
    for (const job of model.scrapeJobs) this.intervals.set(job.job, parseDuration(job.scrapeInterval));
    this.shapes = new ShapeResolver((name) => this.series(name));
  }

  /** The recording rules of the project that write series `name`. */
  recordersOf(name: string): readonly RuleEntry[] {
    return this.recorders.get(name) ?? [];
  }

  /** The catalogue's declaration of a series name, ignoring recording rules. */
  catalogued(name: string): KnownSeries | undefined {
    return this.catalogue.get(name);
  }

  /** A name that should be a recording rule's output: `level:metric:operation`, or declared as recorded. */
  looksRecorded(name: string): boolean {
    return name.includes(':') || this.catalogue.get(name)?.type === 'recorded';
  }

  /** A series name resolved to a recording rule of the project first, then to the catalogue. */
  series(name: string): KnownSeries | undefined {
    if (!this.recorders.has(name)) return this.catalogue.get(name);
    if (this.recorded.has(name)) return this.recorded.get(name);
    // A recording rule that reads itself (directly or through others) cannot be estimated.
    this.recorded.set(name, undefined);
    const series = this.recordedSeries(name, this.recorders.get(name)!);
    this.recorded.set(name, series);
    return series;
  }

  private recordedSeries(name: string, entries: readonly RuleEntry[]): KnownSeries | undefined {
    const parts: KnownSeries[] = [];
    for (const entry of entries) {
      const shape = this.shapeOf(entry.expression);
      if (!shape?.complete || shape.open) return undefined;
      const specs: Record<string, LabelSpec> = {};
      for (const [label, bound] of shape.labels) specs[label] = specOf(bound);
      for (const [label, value] of Object.entries({ ...entry.group.labels, ...entry.rule.labels }))
        specs[label] = { kind: 'values', values: [value] };
      parts.push({
        name,
        kind: shape.kind,
        type: 'recorded',
        specs,
        jointCaps: [{ labels: Object.keys(specs), max: shape.series }],
        scrapedBy: [],
        origins: [{ kind: 'rule', group: entry.group, rule: entry.rule }],
      });
    }
    if (parts.length === 1) return parts[0];
    const specs: Record<string, LabelSpec> = {};
    for (const part of parts)
      for (const [label, spec] of Object.entries(part.specs)) {
        const earlier = specs[label];
        specs[label] = earlier ? specOf(mergeBound(narrowLabel(earlier, []), narrowLabel(spec, []))) : spec;
      }
    return {
      name,
      kind: parts.every((p) => p.kind === 'counter') ? 'counter' : 'gauge',
      type: 'recorded',
      specs,
      jointCaps: [],
      scrapedBy: [],
      origins: parts.flatMap((p) => p.origins),
      parts,
    };
  }

  /** The static shape (labels, series bound) of a parsed expression; undefined when it does not parse. */
  shapeOf(expression: Expression): Shape | undefined {
    return expression.parsed.ok ? this.shapes.shape(expression.parsed.expr) : undefined;
  }

  /** The scrape interval of a job in ms, from the build's Prometheus configuration or the catalogue. */
  scrapeInterval(job: string): number | undefined {
    return this.intervals.get(job);
  }
}
