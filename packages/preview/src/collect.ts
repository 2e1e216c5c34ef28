/**
 * One dashboard's page payload: variables resolved, panels laid out, and every panel query run
 * against Prometheus the way Grafana would run it (interval, step, built-in and template variables).
 */
import type { PlacedPanel, PreviewPayload, QueryResult } from '../renderer/src/payload.ts';
import type { DashboardJson, LinkJson, PanelJson, TargetJson } from './dashboard-json.ts';
import { GRID_COLUMNS, type LaidOutPanel, layoutDashboard } from './layout.ts';
import type { PrometheusClient } from './prometheus.ts';
import { DEFAULT_SCRAPE_INTERVAL, queryTiming, resolveTime, type TimeRangeMs } from './query-timing.ts';
import type { GrafanaData } from './renderer.ts';
import { interpolateText, resolveVariables, type VariableSelection } from './variables.ts';

/** The page's grid width in pixels; a panel's data points default to its width, as in Grafana. */
export const PAGE_WIDTH = 1600;
const GAP = 8;

export interface CollectOptions {
  readonly grafana: GrafanaData;
  /** Without one, panels show a "no data source" notice. */
  readonly prometheus?: PrometheusClient;
  readonly from: string;
  readonly to: string;
  /** Pinned "now" (ms) so that a preview can be repeated exactly. */
  readonly now: number;
  /** The data source's scrape interval as Grafana would know it (`jsonData.timeInterval`). */
  readonly scrapeInterval?: string;
}

export const NO_DATA_SOURCE = 'No data source: run o11y preview with --prometheus-url to draw data';

export function panelWidthPx(w: number): number {
  const column = (PAGE_WIDTH - GAP * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  return Math.round(column * w + GAP * (w - 1));
}

function linksOf(links: readonly LinkJson[] | undefined, interpolate: (text: string) => string) {
  return (links ?? []).map((link) => ({
    title: interpolate(link.title ?? ''),
    url: interpolate(link.url ?? ''),
  }));
}

function isInstant(target: TargetJson): boolean {
  return target.instant === true && target.range !== true;
}

async function runTarget(
  target: TargetJson,
  panel: LaidOutPanel,
  variables: readonly VariableSelection[],
  range: TimeRangeMs,
  options: CollectOptions,
  client: PrometheusClient,
): Promise<QueryResult> {
  const json = panel.panel;
  const scrape = options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
  const maxDataPoints = json.maxDataPoints ?? panelWidthPx(panel.gridPos.w);
  const timing = queryTiming(
    options.grafana,
    range,
    maxDataPoints,
    target.interval || json.interval || scrape,
    scrape,
  );
  const refId = target.refId ?? 'A';
  const format = isInstant(target) || target.format === 'table' ? 'table' : 'time_series';
  const base = { refId, legendFormat: target.legendFormat, format } as const;
  let expr: string;
  try {
    expr = interpolateText(target.expr ?? '', variables, timing.builtins, 'query', panel.scoped);
  } catch (error) {
    return {
      ...base,
      expr: target.expr ?? '',
      series: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const answer = isInstant(target)
    ? await client.query(expr, range.to / 1000)
    : await client.queryRange(
        expr,
        timing.alignedRange.fromMs / 1000,
        timing.alignedRange.toMs / 1000,
        timing.intervalMs / 1000,
      );
  return answer.ok
    ? { ...base, expr, series: answer.data }
    : { ...base, expr, series: [], error: answer.error };
}

async function placePanel(
  panel: LaidOutPanel,
  variables: readonly VariableSelection[],
  range: TimeRangeMs,
  options: CollectOptions,
): Promise<PlacedPanel> {
  const json: PanelJson = panel.panel;
  const text = (value: string) => interpolateText(value, variables, {}, 'text', panel.scoped);
  const { panels: _nested, targets: _targets, ...own } = json;
  const common = {
    key: panel.key,
    gridPos: panel.gridPos,
    type: json.type ?? 'unknown',
    title: text(json.title ?? ''),
    description: text(json.description ?? ''),
    links: linksOf(json.links, text),
    json: own,
  };
  if (panel.collapsedRow !== undefined)
    return { ...common, row: { collapsed: panel.collapsedRow }, results: [] };
  const targets = (json.targets ?? []).filter((t) => !t.hide && t.expr);
  if (targets.length === 0) return { ...common, results: [] };
  const client = options.prometheus;
  if (!client) return { ...common, results: [], notice: NO_DATA_SOURCE };
  const results = await Promise.all(
    targets.map((t) => runTarget(t, panel, variables, range, options, client)),
  );
  return { ...common, results };
}

export async function collectDashboard(
  json: DashboardJson,
  options: CollectOptions,
): Promise<PreviewPayload> {
  const range: TimeRangeMs = {
    from: resolveTime(options.grafana, options.from, options.now, false),
    to: resolveTime(options.grafana, options.to, options.now, true),
    raw: { from: options.from, to: options.to },
  };
  const rangeBuiltins = queryTiming(
    options.grafana,
    range,
    PAGE_WIDTH,
    '1ms',
    options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL,
  ).builtins;
  const variables = await resolveVariables(
    json.templating?.list ?? [],
    options.prometheus,
    range.from / 1000,
    range.to / 1000,
    rangeBuiltins,
  );
  const laidOut = layoutDashboard(
    json.panels ?? [],
    (name) => variables.find((v) => v.name === name)?.values ?? [],
  );
  const panels = [];
  // One panel at a time: a dashboard's queries would otherwise all hit Prometheus at once.
  for (const panel of laidOut) panels.push(await placePanel(panel, variables, range, options));
  const text = (value: string) => interpolateText(value, variables, {}, 'text');
  return {
    uid: json.uid ?? '',
    title: text(json.title ?? ''),
    tags: json.tags ?? [],
    links: linksOf(json.links, text),
    timeRange: range,
    timezone: 'utc',
    variables: variables.map((v) => ({
      name: v.name,
      label: v.label,
      text: v.problem ? `(${v.problem})` : v.all ? 'All' : v.values.join(' + '),
    })),
    panels,
    dataSource: options.prometheus?.origin ?? 'none',
  };
}
