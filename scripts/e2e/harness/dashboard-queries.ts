/**
 * Every panel query of the built dashboards run against the stack the way Grafana runs it: the time
 * range, step, `$__rate_interval` and template variables come from o11y preview's code (which uses
 * @grafana/data's own helpers), so the end-to-end check and the preview cannot disagree on a query.
 */
import type { DashboardModel, PanelModel, QueryModel, SourceLocation } from '@o11y/core';
import {
  type DashboardJson,
  type GrafanaData,
  interpolateText,
  type PanelJson,
  PrometheusClient,
  panelWidthPx,
  queryTiming,
  resolveTime,
  resolveVariables,
  type TimeRangeMs,
  type VariableSelection,
} from '@o11y/preview';
import { hasData, type PrometheusApi, type QueryResult, seriesWithSamples } from './prometheus-api.ts';

/** A dashboard of the project model with the JSON the build wrote for it: what Grafana loads. */
export interface BuiltDashboardModel extends DashboardModel {
  readonly json: DashboardJson;
}

/**
 * Which value each template variable takes: what a user opening the dashboard sees, its first concrete
 * value, or `name=value`: that value of one variable and what a user sees of the others (as a dashboard
 * link with `var-name=value` opens it; variables after it list their options under it).
 */
export type Selection = 'default' | 'first' | `${string}=${string}`;

type TargetJson = NonNullable<PanelJson['targets']>[number];

/** One panel query as the end-to-end check ran it. */
export interface PanelQueryCheck {
  readonly dashboard: string;
  readonly dashboardUid: string;
  readonly panel: string;
  readonly panelId: number;
  readonly refId: string;
  readonly expr: string;
  /** The query after Grafana's substitutions, as sent to Prometheus. */
  readonly sent?: string;
  readonly source: SourceLocation;
  readonly selection: Selection;
  readonly outcome: 'data' | 'empty' | 'error' | 'skipped';
  readonly detail?: string;
  /**
   * With `labelOf`: the distinct values of that label among the returned series (`undefined` for series
   * without it, as after an aggregation that drops it).
   */
  readonly labelValues?: ReadonlyArray<string | undefined>;
}

export interface QueryEnvironment {
  readonly prometheus: PrometheusApi;
  /** @grafana/data's helpers, from the preview's renderer bundle (`loadRenderer().grafana`). */
  readonly grafana: GrafanaData;
  /** The Prometheus data source's scrape interval as Grafana knows it (jsonData.timeInterval, default 15s). */
  readonly scrapeInterval: string;
  readonly now: number;
  /** The range every dashboard is queried over instead of its own (as `o11y preview --from --to`). */
  readonly timeRange?: { readonly from: string; readonly to: string };
  /**
   * Align each range query to its step, as Grafana and o11y preview do. Off by default: over a
   * dashboard's range of hours, a stack minutes old has its samples in the last step, which an aligned
   * range may end before. On where the preview's pages are compared with the checks: a series first
   * recorded in the last step before an unaligned check is not in the preview's range.
   */
  readonly alignToStep?: boolean;
}

function panelsOf(json: DashboardJson): PanelJson[] {
  return (json.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

function dataSourceType(datasource: unknown, dashboard: DashboardModel): string | undefined {
  if (typeof datasource === 'string') {
    const name = /^\$\{?(\w+)\}?$/.exec(datasource)?.[1];
    return name
      ? dashboard.variables.find((v) => v.name === name && v.type === 'datasource')?.query
      : undefined;
  }
  if (typeof datasource !== 'object' || datasource === null) return undefined;
  const { type, uid } = datasource as { type?: unknown; uid?: unknown };
  if (typeof type === 'string' && !type.startsWith('$')) return type;
  return dataSourceType(uid, dashboard);
}

function timeRangeOf(dashboard: BuiltDashboardModel, env: QueryEnvironment): TimeRangeMs {
  const { from = 'now-6h', to = 'now' } = env.timeRange ?? dashboard.json.time ?? {};
  return {
    from: resolveTime(env.grafana, from, env.now, false),
    to: resolveTime(env.grafana, to, env.now, true),
    raw: { from, to },
  };
}

type VariableList = NonNullable<NonNullable<DashboardJson['templating']>['list']>;

/** The variables with a `name=value` selection saved as the dashboard's current value of `name`. */
function withSelected(list: VariableList, selection: Selection, dashboard: DashboardModel): VariableList {
  const chosen = /^(\w+)=(.*)$/s.exec(selection);
  if (!chosen) return list;
  const [, name, value] = chosen;
  if (!list.some((v) => v.name === name))
    throw new Error(`dashboard "${dashboard.title}" (${dashboard.uid}) has no variable $${name}`);
  return list.map((v) => (v.name === name ? { ...v, current: { text: value!, value: value! } } : v));
}

/**
 * The dashboard's variables as the preview resolves them, from the stack's Prometheus. A query
 * variable without values is an error here: Grafana would show "No data" on every panel that uses it.
 */
async function variablesOf(
  dashboard: BuiltDashboardModel,
  env: QueryEnvironment,
  range: TimeRangeMs,
  selection: Selection,
): Promise<VariableSelection[]> {
  const json = dashboard.json;
  const list = withSelected(json.templating?.list ?? [], selection, dashboard);
  const builtins = queryTiming(env.grafana, range, panelWidthPx(24), '1ms', env.scrapeInterval).builtins;
  const resolved = await resolveVariables(
    list,
    new PrometheusClient(env.prometheus.url),
    range.from / 1000,
    range.to / 1000,
    builtins,
    selection === 'first' ? 'first' : 'saved',
  );
  for (const variable of resolved) {
    const type = list.find((v) => v.name === variable.name)?.type;
    if (variable.problem || (type === 'query' && variable.values.length === 0)) {
      throw new Error(
        `variable $${variable.name} has no values: ${variable.problem ?? 'its query returned nothing'}`,
      );
    }
  }
  return resolved;
}

async function runOne(
  dashboard: BuiltDashboardModel,
  panel: PanelModel,
  query: QueryModel,
  panelJson: PanelJson | undefined,
  env: QueryEnvironment,
  selection: Selection,
  variables: Promise<VariableSelection[]>,
  labelOf: string | undefined,
): Promise<PanelQueryCheck> {
  const base = {
    dashboard: dashboard.title,
    dashboardUid: dashboard.uid,
    panel: panel.title,
    panelId: panel.id,
    refId: query.refId,
    expr: query.expr,
    source: query.source,
    selection,
  };
  const type =
    dataSourceType(query.datasource, dashboard) ??
    dataSourceType(panel.datasource, dashboard) ??
    'prometheus';
  if (type !== 'prometheus')
    return { ...base, outcome: 'skipped', detail: `${type} query; no ${type} in the test stack` };
  const targetJson: TargetJson | undefined = panelJson?.targets?.find((t) => t.refId === query.refId);
  const range = timeRangeOf(dashboard, env);
  let sent: string | undefined;
  try {
    const timing = queryTiming(
      env.grafana,
      range,
      panelJson?.maxDataPoints ?? panelWidthPx(panelJson?.gridPos?.w ?? 24),
      targetJson?.interval || panelJson?.interval || env.scrapeInterval,
      env.scrapeInterval,
    );
    sent = interpolateText(query.expr, await variables, timing.builtins, 'query');
    const instantOnly = targetJson?.instant === true && targetJson.range !== true;
    const { fromMs, toMs } = env.alignToStep ? timing.alignedRange : { fromMs: range.from, toMs: range.to };
    const result: QueryResult = instantOnly
      ? await env.prometheus.query(sent, range.to)
      : await env.prometheus.queryRange(sent, fromMs, toMs, timing.intervalMs);
    return {
      ...base,
      sent,
      outcome: hasData(result) ? 'data' : 'empty',
      ...(labelOf !== undefined && { labelValues: labelValuesOf(result, labelOf) }),
    };
  } catch (error) {
    return {
      ...base,
      ...(sent !== undefined && { sent }),
      outcome: 'error',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The distinct values of `label` among a result's series with samples; `undefined` for those without it. */
function labelValuesOf(result: QueryResult, label: string): Array<string | undefined> {
  return [...new Set(seriesWithSamples(result).map((s) => s.metric[label]))];
}

export interface CheckOptions {
  /** Queries run at once (default 8). */
  readonly concurrency?: number;
  /** A label whose values among the returned series each check records (`labelValues`). */
  readonly labelOf?: string;
}

/** Runs every query of every panel of the dashboards against Prometheus, a few at a time. */
export async function checkPanelQueries(
  dashboards: readonly BuiltDashboardModel[],
  env: QueryEnvironment,
  selection: Selection,
  { concurrency = 8, labelOf }: CheckOptions = {},
): Promise<PanelQueryCheck[]> {
  const jobs: Array<() => Promise<PanelQueryCheck>> = [];
  for (const dashboard of dashboards) {
    const panelJsons = panelsOf(dashboard.json);
    // Variables are resolved once per dashboard, as Grafana does on load.
    let variables: Promise<VariableSelection[]> | undefined;
    const resolved = () => {
      variables ??= variablesOf(dashboard, env, timeRangeOf(dashboard, env), selection);
      return variables;
    };
    for (const panel of dashboard.panels) {
      const panelJson = panelJsons.find((p) => p.id === panel.id);
      for (const query of panel.queries) {
        jobs.push(() => runOne(dashboard, panel, query, panelJson, env, selection, resolved(), labelOf));
      }
    }
  }
  const results: PanelQueryCheck[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]!();
      }
    }),
  );
  return results;
}

/** `dashboards/payments.ts:42:7  Payments RED › Error ratio (A): …` */
export function describeCheck(check: PanelQueryCheck): string {
  const where = `${check.source.file}:${check.source.line}:${check.source.column}`;
  const lines = [
    `${where}  dashboard "${check.dashboard}" (${check.dashboardUid}) › panel "${check.panel}" (id ${check.panelId}, ${check.refId}) ${check.outcome === 'empty' ? 'returned no data' : check.outcome}${check.detail ? `: ${check.detail}` : ''}`,
    `    query: ${check.expr}`,
  ];
  if (check.sent && check.sent !== check.expr) lines.push(`    sent:  ${check.sent}`);
  return lines.join('\n');
}
