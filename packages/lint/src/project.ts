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
import { type LogqlParseResult, parseLogql } from '@o11y/logql';
import {
  type DashboardParseResult,
  optionFlags,
  type ParseResult,
  type ParserOptions,
  parse,
  parseAll,
  parseDashboardQueries,
  parseDashboardQuery,
} from '@o11y/promql';
import { BoundFold, type LabelBound, narrowLabel, type Shape, ShapeResolver } from './analysis/shape.ts';
import { nodesOf } from './analysis/visit.ts';
import type { Target } from './check.ts';
import type { Budgets } from './config.ts';
import type { LiveData } from './live/data.ts';
import type { PlainSources } from './load/files.ts';
import { ALERT_SERIES, catalogueSeries, type KnownSeries, type MetricCatalog } from './series.ts';

/**
 * Rules' expressions given to the native parser before the rest of the model is made (`parseRulesAhead`):
 * `o11y lint` parses them while the dashboards compile, where the parse used to keep lint waiting.
 */
export interface RulesParsedAhead {
  readonly exprs: readonly string[];
  readonly parser: ParserOptions;
  readonly parsed: Promise<ParseResult[]>;
}

function ruleExpressions(ruleGroups: readonly RuleGroupModel[]): string[] {
  return ruleGroups.flatMap((group) => group.rules.map((rule) => rule.expr));
}

/** Starts the native parse of these rule groups' expressions, for `LintProject.analyse` to take later. */
export function parseRulesAhead(
  ruleGroups: readonly RuleGroupModel[],
  parser: ParserOptions,
): RulesParsedAhead {
  const exprs = ruleExpressions(ruleGroups);
  const parsed = parseAll(exprs, parser);
  // Awaited by analyse; until then (or if the model turns out not to start with these rules) not unhandled.
  parsed.catch(() => undefined);
  return { exprs, parser, parsed };
}

/**
 * The parse of `exprs`: what was parsed ahead when `exprs` begins with those expressions and the parser
 * options are the same, and the rest now; otherwise all of them now.
 */
async function parseRules(
  exprs: readonly string[],
  parser: ParserOptions,
  ahead: RulesParsedAhead | undefined,
): Promise<ParseResult[]> {
  const usable =
    ahead !== undefined &&
    optionFlags(ahead.parser) === optionFlags(parser) &&
    ahead.exprs.length <= exprs.length &&
    ahead.exprs.every((expr, index) => expr === exprs[index]);
  if (!usable) return parseAll(exprs, parser);
  const [early, rest] = await Promise.all([ahead.parsed, parseAll(exprs.slice(ahead.exprs.length), parser)]);
  return early.concat(rest);
}

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

/** One LogQL query (a Loki panel's target or a Loki rule's expression), parsed once with Grafana's grammar. */
export interface LogQueryEntry {
  readonly target: QueryTarget | RuleTarget;
  readonly text: string;
  readonly parsed: LogqlParseResult;
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

/** The query's language by its datasource: a query with no datasource type is PromQL. */
function queryDatasource(query: QueryModel, panel: PanelModel, dashboard: DashboardModel): string {
  return (
    datasourceType(query.datasource, dashboard) ?? datasourceType(panel.datasource, dashboard) ?? 'prometheus'
  );
}

function specOf(bound: LabelBound): LabelSpec {
  if (bound.values) return { kind: 'values', values: bound.values };
  return { kind: 'cardinality', cardinality: specCount(bound.count) };
}

function specCount(count: number): number {
  return Number.isFinite(count) ? Math.max(1, count) : 1;
}

/** The Prometheus queries of the dashboards, in order, with their dashboard's variable names. */
function prometheusQueries(dashboards: readonly DashboardModel[]) {
  return dashboards.flatMap((dashboard) => {
    const variables = dashboard.variables.map((v) => v.name);
    return dashboard.panels.flatMap((panel) =>
      panel.queries
        .filter((query) => queryDatasource(query, panel, dashboard) === 'prometheus')
        .map((query) => ({ dashboard, panel, query, variables })),
    );
  });
}

/**
 * Dashboards a part of a project linted in parts holds (`LintProject.inParts`): at 1,000 services the
 * queries' syntax trees are a third of what lint keeps, and a part of 100 dashboards holds about 1/20 of
 * them. Smaller parts save little more, and each costs a parser process.
 */
export const DASHBOARDS_PER_PART = 100;

/** The dashboards' Prometheus queries parsed at once, in the order of `prometheusQueries`. */
function parseQueries(
  dashboards: readonly DashboardModel[],
  parser: ParserOptions,
): Promise<DashboardParseResult[]> {
  const queries = prometheusQueries(dashboards).map(({ query, variables }) => ({
    query: query.expr,
    variables,
  }));
  return parseDashboardQueries(queries, parser);
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
  readonly logQueries: readonly LogQueryEntry[];
  readonly shapes: ShapeResolver;
  /**
   * The project whose rules resolve series names: this one, or, for a part of dashboards (`inParts`),
   * the part of the rules. A part shares its catalogue, recorders, intervals, derived series and shapes.
   */
  private readonly index: LintProject;
  /** Every dashboard of the project: the model's, or with the project linted in parts, every part's. */
  private readonly allDashboards: readonly DashboardModel[];
  private readonly catalogue: Map<string, KnownSeries>;
  private readonly recorders = new Map<string, RuleEntry[]>();
  /** Series derived from the project's rules (recorded outputs, alert series), computed once. */
  private readonly derived = new Map<string, KnownSeries | undefined>();
  private readonly intervals = new Map<string, number>();
  /** Names the expressions of the project's parts of dashboards select (`selectedNames`). */
  private readonly selectedByParts = new Set<string>();
  private firstByUid: Map<string, DashboardModel> | undefined;
  /** What a live Prometheus reported (`--prometheus-url`); the live checks do nothing without it. */
  live: LiveData | undefined;

  constructor(
    readonly model: ProjectModel,
    readonly catalog: MetricCatalog | undefined,
    readonly budgets: Budgets = {},
    /** Plain rule files and Alertmanager configurations as written (none for the TypeScript definitions). */
    readonly sources: PlainSources = { ruleFiles: [], alertmanagers: [] },
    /** The PromQL features the Prometheus that runs these expressions enables. */
    readonly parser: ParserOptions = {},
    /** The rules' expressions already parsed, in the order of the model's groups and rules (`analyse`). */
    parsedRules?: readonly ParseResult[],
    /** The dashboards' Prometheus queries already parsed, in the order of `queries` (`analyse`). */
    parsedQueries?: readonly DashboardParseResult[],
    /** What a part of a project linted in parts (`inParts`) is part of. */
    part?: { readonly index: LintProject } | { readonly allDashboards: readonly DashboardModel[] },
  ) {
    this.index = part && 'index' in part ? part.index : this;
    this.allDashboards =
      part && 'index' in part
        ? part.index.allDashboards
        : part && 'allDashboards' in part
          ? part.allDashboards
          : model.dashboards;
    this.catalogue = this.index === this ? catalogueSeries(catalog) : this.index.catalogue;
    let index = 0;
    this.rules = model.ruleGroups.flatMap((group) =>
      group.rules.map((rule) => ({
        group,
        rule,
        expression: {
          target: { kind: 'rule', group, rule },
          text: rule.expr,
          parsed: parsedRules?.[index++] ?? parse(rule.expr, parser),
        },
      })),
    );
    let queryIndex = 0;
    this.queries = prometheusQueries(model.dashboards).map(({ dashboard, panel, query, variables }) => ({
      dashboard,
      panel,
      query,
      expression: {
        target: { kind: 'query', dashboard, panel, query } as const,
        text: query.expr,
        parsed: parsedQueries?.[queryIndex++] ?? parseDashboardQuery(query.expr, variables, parser),
      },
    }));
    this.expressions = [...this.rules.map((r) => r.expression), ...this.queries.map((q) => q.expression)];
    this.logQueries = [
      ...model.dashboards.flatMap((dashboard) =>
        dashboard.panels.flatMap((panel) =>
          panel.queries
            .filter((query) => queryDatasource(query, panel, dashboard) === 'loki')
            .map((query) => ({
              target: { kind: 'query', dashboard, panel, query } as const,
              text: query.expr,
              parsed: parseLogql(query.expr),
            })),
        ),
      ),
      ...(model.lokiRuleGroups ?? []).flatMap((group) =>
        group.rules.map((rule) => ({
          target: { kind: 'rule', group, rule } as const,
          text: rule.expr,
          parsed: parseLogql(rule.expr),
        })),
      ),
    ];
    for (const entry of this.rules) {
      if (entry.rule.kind !== 'record') continue;
      const list = this.recorders.get(entry.rule.name) ?? [];
      list.push(entry);
      this.recorders.set(entry.rule.name, list);
    }
    if (this.index !== this) {
      this.shapes = this.index.shapes;
      for (const name of this.selectedNames()) this.index.selectedByParts.add(name);
      return;
    }
    for (const series of this.catalogue.values())
      for (const scraped of series.scrapedBy) this.intervals.set(scraped.job, scraped.intervalMs);
    // The Prometheus configuration of the build is what really runs; it wins over the catalogue.
    for (const job of model.scrapeJobs) this.intervals.set(job.job, parseDuration(job.scrapeInterval));
    this.shapes = new ShapeResolver((name) => this.series(name));
  }

  /**
   * The project analysed as lint and build read it: every rule's expression and dashboard query parsed
   * at once by the native build of the parser (`parseAll`: the bulk of a large project's parsing, on the
   * other core). The wasm parser is loaded only for what the checks parse themselves.
   */
  static async analyse(
    model: ProjectModel,
    catalog: MetricCatalog | undefined,
    budgets?: Budgets,
    sources?: PlainSources,
    parser: ParserOptions = {},
    part?: { readonly allDashboards: readonly DashboardModel[] },
    ahead?: RulesParsedAhead,
  ): Promise<LintProject> {
    const [parsedRules, parsedQueries] = await Promise.all([
      parseRules(ruleExpressions(model.ruleGroups), parser, ahead),
      parseQueries(model.dashboards, parser),
    ]);
    return new LintProject(model, catalog, budgets, sources, parser, parsedRules, parsedQueries, part);
  }

  /**
   * The project in parts, for a large project's lint: the dashboards a few at a time, each part parsed
   * and analysed against the rules, then the rules. What is live at once is the rules' analysis and one
   * or two parts' queries, not every query's syntax tree. Each part holds only its own rules, queries and
   * dashboards, so a check run on every part finds what it finds on the whole project; what a check needs
   * of the whole (`selectedNames`, `hasDashboards`, `firstDashboard`) the parts share. The rules come
   * last, when every part has added the names its queries select; only they have the files as written
   * (`sources`). The next part is parsed (on the other core) while the caller checks this one.
   */
  static async *inParts(
    model: ProjectModel,
    catalog: MetricCatalog | undefined,
    budgets: Budgets | undefined,
    sources: PlainSources | undefined,
    parser: ParserOptions,
    dashboardsPerPart = DASHBOARDS_PER_PART,
    ahead?: RulesParsedAhead,
  ): AsyncGenerator<LintProject> {
    const batches: DashboardModel[][] = [];
    for (let start = 0; start < model.dashboards.length; start += dashboardsPerPart)
      batches.push(model.dashboards.slice(start, start + dashboardsPerPart));
    const parsing = batches[0] && parseQueries(batches[0], parser);
    // Awaited below; until then a failure must not count as unhandled if the rules' analysis throws first.
    parsing?.catch(() => undefined);
    const rules = await LintProject.analyse(
      { ...model, dashboards: [] },
      catalog,
      budgets,
      sources,
      parser,
      { allDashboards: model.dashboards },
      ahead,
    );
    let next = parsing;
    for (const [index, dashboards] of batches.entries()) {
      const parsed = await next!;
      const following = batches[index + 1];
      next = following && parseQueries(following, parser);
      next?.catch(() => undefined);
      yield rules.part(dashboards, parsed);
    }
    yield rules;
  }

  /**
   * A part of this project's dashboards, its names resolved by this project's rules. The files as written
   * (`sources`) are the part of the rules'.
   */
  private part(dashboards: readonly DashboardModel[], parsed: readonly DashboardParseResult[]): LintProject {
    const model = { ruleGroups: [], lokiRuleGroups: [], dashboards, scrapeJobs: this.model.scrapeJobs };
    const sources = { ruleFiles: [], alertmanagers: [] };
    return new LintProject(model, this.catalog, this.budgets, sources, this.parser, [], parsed, {
      index: this,
    });
  }

  /**
   * Series names the project's expressions select: with the project in parts, the dashboards' of every
   * part too (the part of the rules is checked last).
   */
  selectedNames(): ReadonlySet<string> {
    const names = new Set(this.selectedByParts);
    for (const { node } of nodesOf(this, 'VectorSelector')) {
      const name = ShapeResolver.metricName(node);
      if (name !== undefined) names.add(name);
    }
    return names;
  }

  /** Whether the project has dashboards, in this part or another. */
  get hasDashboards(): boolean {
    return this.allDashboards.length > 0;
  }

  /** The project's first dashboard with this uid, in this part or another. */
  firstDashboard(uid: string): DashboardModel | undefined {
    const index = this.index;
    if (!index.firstByUid) {
      index.firstByUid = new Map();
      for (const dashboard of index.allDashboards)
        if (!index.firstByUid.has(dashboard.uid)) index.firstByUid.set(dashboard.uid, dashboard);
    }
    return index.firstByUid.get(uid);
  }

  /** The recording rules of the project that write series `name`. */
  recordersOf(name: string): readonly RuleEntry[] {
    return this.index.recorders.get(name) ?? [];
  }

  /**
   * Labels of the deployment dimensions set by `external_labels` (`cluster`): the central store, so every
   * dashboard query, sees them on every series; the catalogue and the scraping Prometheus's rules do not.
   */
  get externalLabels(): readonly string[] {
    return (this.catalog?.dimensions?.enabled ?? [])
      .filter((d) => d.source === 'external_labels')
      .map((d) => d.label);
  }

  /** The catalogue's declaration of a series name, ignoring recording rules. */
  catalogued(name: string): KnownSeries | undefined {
    return this.catalogue.get(name);
  }

  /** A name that should be a recording rule's output: `level:metric:operation`, or declared as recorded. */
  looksRecorded(name: string): boolean {
    return name.includes(':') || this.catalogue.get(name)?.type === 'recorded';
  }

  /**
   * A series name resolved to a recording rule of the project first, then to the catalogue, then to
   * the series Prometheus writes for the project's alerting rules (`ALERTS`, `ALERTS_FOR_STATE`).
   */
  series(name: string): KnownSeries | undefined {
    if (this.index !== this) return this.index.series(name);
    const derived = this.recorders.has(name) || (ALERT_SERIES.has(name) && !this.catalogue.has(name));
    if (!derived) return this.catalogue.get(name);
    if (this.derived.has(name)) return this.derived.get(name);
    // A recording rule that reads itself (directly or through others) cannot be estimated.
    this.derived.set(name, undefined);
    const series = this.recorders.has(name)
      ? this.recordedSeries(name, this.recorders.get(name)!)
      : this.alertSeries(name);
    this.derived.set(name, series);
    return series;
  }

  /** One part per rule: its expression's labels and series bound, with the rule's own labels added. */
  private ruleSeries(
    name: string,
    entries: readonly RuleEntry[],
    extraLabels: (entry: RuleEntry) => Record<string, LabelSpec>,
  ): KnownSeries | undefined {
    const parts: KnownSeries[] = [];
    for (const entry of entries) {
      const shape = this.shapeOf(entry.expression);
      if (!shape?.complete || shape.open) return undefined;
      const specs: Record<string, LabelSpec> = {};
      for (const [label, bound] of shape.labels) specs[label] = specOf(bound);
      for (const [label, value] of Object.entries({ ...entry.group.labels, ...entry.rule.labels })) {
        // An alert's templated label takes as many values as the series it is rendered for.
        specs[label] =
          entry.rule.kind === 'alert' && value.includes('{{')
            ? { kind: 'cardinality', cardinality: Math.max(1, shape.series) }
            : { kind: 'values', values: [value] };
      }
      Object.assign(specs, extraLabels(entry));
      parts.push({
        name,
        kind: entry.rule.kind === 'record' ? shape.kind : 'gauge',
        type: entry.rule.kind === 'record' ? 'recorded' : 'gauge',
        specs,
        jointCaps: [{ labels: Object.keys(specs), max: shape.series }],
        scrapedBy: [],
        origins: [{ kind: 'rule', group: entry.group, rule: entry.rule }],
      });
    }
    if (parts.length <= 1) return parts[0];
    // Each step as a spec: a count is clamped as `specOf` clamps it.
    const folds = new Map<string, { spec: LabelSpec; fold: BoundFold }>();
    for (const part of parts)
      for (const [label, spec] of Object.entries(part.specs)) {
        const merging = folds.get(label) ?? { spec, fold: new BoundFold(specCount) };
        folds.set(label, merging);
        merging.fold.add(narrowLabel(spec, []));
      }
    const specs: Record<string, LabelSpec> = {};
    for (const [label, { spec, fold }] of folds) specs[label] = fold.merged ? specOf(fold.result!) : spec;
    return {
      name,
      kind: parts.every((p) => p.kind === parts[0]!.kind) ? parts[0]!.kind : 'gauge',
      type: parts[0]!.type,
      specs,
      jointCaps: [],
      scrapedBy: [],
      origins: parts.flatMap((p) => p.origins),
      parts,
    };
  }

  private recordedSeries(name: string, entries: readonly RuleEntry[]): KnownSeries | undefined {
    return this.ruleSeries(name, entries, () => ({}));
  }

  /**
   * `ALERTS{alertname, alertstate}` and `ALERTS_FOR_STATE{alertname}` with each alert's labels, one part
   * per alerting rule; unknown (not judged) when the project has no alerts or one's labels are not known.
   */
  private alertSeries(name: string): KnownSeries | undefined {
    const alerts = this.rules.filter((entry) => entry.rule.kind === 'alert');
    return this.ruleSeries(name, alerts, ({ rule }) => ({
      alertname: { kind: 'values', values: [rule.name] },
      ...(name === 'ALERTS' && { alertstate: { kind: 'values', values: ['pending', 'firing'] } }),
    }));
  }

  /** The static shape (labels, series bound) of a parsed expression; undefined when it does not parse. */
  shapeOf(expression: Expression): Shape | undefined {
    return expression.parsed.ok ? this.shapes.shape(expression.parsed.expr) : undefined;
  }

  /** The scrape interval of a job in ms, from the build's Prometheus configuration or the catalogue. */
  scrapeInterval(job: string): number | undefined {
    return this.index.intervals.get(job);
  }
}
