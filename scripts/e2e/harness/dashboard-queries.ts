import type { DashboardModel, PanelModel, QueryModel, SourceLocation } from '@o11y/core';
import {
  builtinVariables,
  interpolate,
  parseInterval,
  type QueryTiming,
  queryTiming,
  resolveTime,
  type VariableValue,
} from './grafana.ts';
import { hasData, type PrometheusApi, type QueryResult } from './prometheus-api.ts';

/** The panel width Grafana would give a full-width panel on a 1920-pixel screen, per grid column. */
const PIXELS_PER_GRID_COLUMN = 1800 / 24;

/** Which value each template variable takes: what a user opening the dashboard sees, or its first concrete value. */
export type Selection = 'default' | 'first';

interface VariableJson {
  name: string;
  type: string;
  query?: string | { query?: string };
  regex?: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  current?: { value?: string | string[]; text?: string | string[] };
  options?: Array<{ value: string }>;
}

interface TargetJson {
  refId?: string;
  expr?: string;
  instant?: boolean;
  range?: boolean;
  interval?: string;
}

interface PanelJson {
  id?: number;
  maxDataPoints?: number;
  interval?: string;
  gridPos?: { w?: number };
  targets?: TargetJson[];
  panels?: PanelJson[];
}

interface DashboardJson {
  time?: { from?: string; to?: string };
  templating?: { list?: VariableJson[] };
  panels?: PanelJson[];
}

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
}

export interface QueryEnvironment {
  readonly prometheus: PrometheusApi;
  /** The Prometheus data source's scrape interval as Grafana knows it (jsonData.timeInterval, default 15s). */
  readonly scrapeIntervalMs: number;
  readonly now: number;
}

function panelsOf(json: DashboardJson): PanelJson[] {
  return (json.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

function variableQuery(variable: VariableJson): string {
  return typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
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

/** The value a query variable's `regex` keeps of each option (its first capture group, if it has one). */
function applyRegex(values: readonly string[], regex: string | undefined): string[] {
  if (!regex) return [...values];
  const match = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const pattern = new RegExp(match ? match[1]! : regex, match?.[2]?.replace('g', '') ?? '');
  return values.flatMap((value) => {
    const found = pattern.exec(value);
    if (!found) return [];
    return [found.groups?.value ?? found[1] ?? found[0]];
  });
}

/** The options of a query variable, asked of Prometheus the way Grafana's Prometheus data source asks. */
async function queryOptions(
  query: string,
  env: QueryEnvironment,
  range: { from: number; to: number },
): Promise<string[]> {
  const labelValues = /^label_values\((?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s.exec(query.trim());
  if (labelValues) {
    const [, selector, label] = labelValues;
    return env.prometheus.labelValues(label!, selector ? [selector.trim()] : [], range.from, range.to);
  }
  const metrics = /^metrics\((.*)\)$/s.exec(query.trim());
  if (metrics) {
    const names = await env.prometheus.labelValues('__name__', [], range.from, range.to);
    const pattern = new RegExp(metrics[1]!.trim());
    return names.filter((n) => pattern.test(n));
  }
  const queryResult = /^query_result\((.*)\)$/s.exec(query.trim());
  if (queryResult) {
    const result = await env.prometheus.query(queryResult[1]!, range.to);
    if (result.resultType !== 'vector') return [];
    return (
      result.result as Array<{ metric: Record<string, string>; value?: readonly [number, string] }>
    ).map((s) => {
      const { __name__: name = '', ...labels } = s.metric;
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      return `${name}{${text}} ${s.value?.[1] ?? ''} ${(s.value?.[0] ?? 0) * 1000}`;
    });
  }
  throw new Error(
    `variable query "${query}" is not one the end-to-end resolver knows (label_values, metrics, query_result)`,
  );
}

function customOptions(query: string): string[] {
  return query
    .split(/(?<!\\),/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => part.split(' : ').at(-1)!.trim());
}

/**
 * Every template variable's value, resolved in order (later variables may use earlier ones), with
 * their options fetched from Prometheus. A query variable with no options is an error: Grafana would
 * show "No data" on every panel that uses it.
 */
export async function resolveVariables(
  dashboard: DashboardModel,
  env: QueryEnvironment,
  timing: QueryTiming,
  range: { from: number; to: number },
  selection: Selection,
): Promise<Map<string, VariableValue>> {
  const json = dashboard.json as DashboardJson;
  const resolved = new Map<string, VariableValue>();
  const builtins = builtinVariables(timing);
  for (const variable of json.templating?.list ?? []) {
    const multi = variable.multi === true;
    const includeAll = variable.includeAll === true;
    const customAllValue = variable.allValue ?? undefined;
    const base = {
      multi,
      includeAll,
      ...(customAllValue !== undefined && customAllValue !== '' && { customAllValue }),
    };
    let options: string[];
    switch (variable.type) {
      case 'datasource':
      case 'adhoc':
        continue;
      case 'query':
        options = applyRegex(
          await queryOptions(interpolate(variableQuery(variable), builtins, resolved), env, range),
          variable.regex,
        );
        options = [...new Set(options)].sort();
        if (options.length === 0) {
          throw new Error(
            `variable $${variable.name} has no values: ${variableQuery(variable)} returned nothing`,
          );
        }
        break;
      case 'custom':
        options = customOptions(variableQuery(variable));
        break;
      case 'constant':
      case 'textbox':
        options = [String(variable.current?.value ?? variableQuery(variable))];
        break;
      case 'interval':
        options = (variable.options ?? []).map((o) => o.value).filter((v) => v !== '$__auto_interval');
        break;
      default:
        throw new Error(
          `variable $${variable.name} has type ${variable.type}, which the end-to-end resolver does not know`,
        );
    }
    const current = variable.current?.value;
    const currentValues = current === undefined ? [] : Array.isArray(current) ? current : [current];
    const wantsAll = currentValues.includes('$__all') || (currentValues.length === 0 && includeAll);
    if (selection === 'default' && wantsAll) {
      resolved.set(variable.name, { ...base, values: options, all: true });
    } else if (
      selection === 'default' &&
      currentValues.length > 0 &&
      currentValues.every((v) => options.includes(v))
    ) {
      resolved.set(variable.name, { ...base, values: currentValues, all: false });
    } else {
      resolved.set(variable.name, { ...base, values: [options[0]!], all: false });
    }
  }
  return resolved;
}

function timeRangeOf(dashboard: DashboardModel, env: QueryEnvironment): { from: number; to: number } {
  const json = dashboard.json as DashboardJson;
  return {
    from: resolveTime(json.time?.from ?? 'now-6h', env.now),
    to: resolveTime(json.time?.to ?? 'now', env.now),
  };
}

function timingOf(
  panelJson: PanelJson | undefined,
  targetJson: TargetJson | undefined,
  range: { from: number; to: number },
  env: QueryEnvironment,
): QueryTiming {
  const minInterval = targetJson?.interval || panelJson?.interval;
  return queryTiming({
    fromMs: range.from,
    toMs: range.to,
    maxDataPoints:
      panelJson?.maxDataPoints ?? Math.round((panelJson?.gridPos?.w ?? 24) * PIXELS_PER_GRID_COLUMN),
    minIntervalMs: minInterval ? parseInterval(minInterval) : env.scrapeIntervalMs,
    scrapeIntervalMs: env.scrapeIntervalMs,
  });
}

async function runOne(
  dashboard: DashboardModel,
  panel: PanelModel,
  query: QueryModel,
  panelJson: PanelJson | undefined,
  env: QueryEnvironment,
  selection: Selection,
  variables: Promise<Map<string, VariableValue>>,
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
  const targetJson = panelJson?.targets?.find((t) => t.refId === query.refId);
  const { from, to } = timeRangeOf(dashboard, env);
  let sent: string | undefined;
  try {
    const timing = timingOf(panelJson, targetJson, { from, to }, env);
    sent = interpolate(query.expr, builtinVariables(timing), await variables);
    const instantOnly = targetJson?.instant === true && targetJson.range !== true;
    const result: QueryResult = instantOnly
      ? await env.prometheus.query(sent, to)
      : await env.prometheus.queryRange(sent, from, to, timing.intervalMs);
    return { ...base, sent, outcome: hasData(result) ? 'data' : 'empty' };
  } catch (error) {
    return {
      ...base,
      ...(sent !== undefined && { sent }),
      outcome: 'error',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Runs every query of every panel of the dashboards against Prometheus, a few at a time. */
export async function checkPanelQueries(
  dashboards: readonly DashboardModel[],
  env: QueryEnvironment,
  selection: Selection,
  concurrency = 8,
): Promise<PanelQueryCheck[]> {
  const jobs: Array<() => Promise<PanelQueryCheck>> = [];
  for (const dashboard of dashboards) {
    const panelJsons = panelsOf(dashboard.json as DashboardJson);
    const range = timeRangeOf(dashboard, env);
    // Variables are resolved once per dashboard, as Grafana does on load, with a full-width panel's timing.
    let variables: Promise<Map<string, VariableValue>> | undefined;
    const resolved = () => {
      variables ??= resolveVariables(
        dashboard,
        env,
        timingOf(undefined, undefined, range, env),
        range,
        selection,
      );
      return variables;
    };
    for (const panel of dashboard.panels) {
      const panelJson = panelJsons.find((p) => p.id === panel.id);
      for (const query of panel.queries) {
        jobs.push(() => runOne(dashboard, panel, query, panelJson, env, selection, resolved()));
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
