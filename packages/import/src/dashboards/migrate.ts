import { DATASOURCES, datasourceRef } from '@o11y/dashboards';
import { isRecord, type Json } from '../json.ts';

const GRID_ROW_PX = 30;

/** Legacy `rows` (schemaVersion < 16) → row panels and panels on the 24-column grid, as Grafana lays them out. */
function panelsFromRows(rows: readonly Json[]): Json[] {
  const panels: Json[] = [];
  let y = 0;
  let id = 1000;
  for (const row of rows) {
    const height = Math.ceil(Number.parseInt(String(row.height ?? '250'), 10) / GRID_ROW_PX) || 8;
    const showTitle = row.showTitle === true || rows.length > 1;
    if (showTitle) {
      panels.push({
        type: 'row',
        title: typeof row.title === 'string' ? row.title : '',
        id: id++,
        collapsed: row.collapse === true,
        panels: [],
        gridPos: { x: 0, y, w: 24, h: 1 },
        ...(row.repeat !== undefined && { repeat: row.repeat }),
      });
      y++;
    }
    // A collapsed row holds its panels, as Grafana's migration leaves them.
    const into = showTitle && row.collapse === true ? (panels.at(-1)!.panels as Json[]) : panels;
    let x = 0;
    for (const panel of Array.isArray(row.panels) ? row.panels.filter(isRecord) : []) {
      const w = Math.min(24, Math.max(1, Math.round(Number(panel.span ?? 12) * 2)));
      if (x + w > 24) {
        x = 0;
        y += height;
      }
      const { span: _span, height: panelHeight, ...rest } = panel;
      const h = panelHeight ? Math.ceil(Number.parseInt(String(panelHeight), 10) / GRID_ROW_PX) : height;
      into.push({ ...rest, gridPos: { x, y, w, h } });
      x += w;
    }
    y += height;
  }
  return panels;
}

const LEGEND_CALCS: readonly [string, string][] = [
  ['avg', 'mean'],
  ['current', 'lastNotNull'],
  ['max', 'max'],
  ['min', 'min'],
  ['total', 'sum'],
];

/** Graph-only fields: the timeseries panel spells them in `fieldConfig` and `options`. */
const GRAPH_FIELDS = [
  'aliasColors',
  'bars',
  'dashLength',
  'dashes',
  'fill',
  'fillGradient',
  'hiddenSeries',
  'legend',
  'lines',
  'linewidth',
  'nullPointMode',
  'percentage',
  'pointradius',
  'points',
  'renderer',
  'seriesOverrides',
  'spaceLength',
  'stack',
  'steppedLine',
  'thresholds',
  'timeRegions',
  'tooltip',
  'xaxis',
  'yaxes',
  'yaxis',
];

const numberOrUndefined = (v: unknown) =>
  v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);

/**
 * An old `graph` panel as Grafana's own migration turns it into a `timeseries` panel (lines, points,
 * fill, stacking, legend, tooltip, the left y axis's unit, min, max, decimals and log scale, alias
 * colours, graph thresholds). What it cannot carry (right-axis series overrides, time regions, a
 * histogram x axis) is returned in `lost`.
 */
function migrateGraph(panel: Json, lost: string[]): Json {
  const title = String(panel.title ?? '');
  const yaxes = Array.isArray(panel.yaxes) ? panel.yaxes.filter(isRecord) : [];
  const left = yaxes[0] ?? {};
  const legend = isRecord(panel.legend) ? panel.legend : {};
  const tooltip = isRecord(panel.tooltip) ? panel.tooltip : {};
  // Only what differs from the timeseries panel's defaults, as a person would set it.
  const custom: Json = {};
  if (panel.bars === true) custom.drawStyle = 'bars';
  else if (panel.lines === false && panel.points === true) custom.drawStyle = 'points';
  if (panel.steppedLine === true) custom.lineInterpolation = 'stepAfter';
  custom.lineWidth = numberOrUndefined(panel.linewidth) ?? 1;
  custom.fillOpacity = (numberOrUndefined(panel.fill) ?? 1) * 10;
  custom.showPoints = panel.points === true ? 'always' : 'never';
  if (panel.points === true) custom.pointSize = numberOrUndefined(panel.pointradius) ?? 5;
  if (panel.nullPointMode === 'connected') custom.spanNulls = true;
  if (panel.stack === true)
    custom.stacking = { mode: panel.percentage === true ? 'percent' : 'normal', group: 'A' };
  if (typeof left.label === 'string' && left.label !== '') custom.axisLabel = left.label;
  if (Number(left.logBase ?? 1) > 1) custom.scaleDistribution = { type: 'log', log: Number(left.logBase) };
  const previous = isRecord(panel.fieldConfig) ? panel.fieldConfig : {};
  const previousDefaults = isRecord(previous.defaults) ? previous.defaults : {};
  const defaults: Json = { ...previousDefaults, custom };
  if (typeof left.format === 'string' && left.format !== 'short') defaults.unit = left.format;
  const min = numberOrUndefined(left.min);
  const max = numberOrUndefined(left.max);
  const decimals = numberOrUndefined(left.decimals ?? panel.decimals);
  if (min !== undefined) defaults.min = min;
  if (max !== undefined) defaults.max = max;
  if (decimals !== undefined) defaults.decimals = decimals;
  const graphThresholds = Array.isArray(panel.thresholds) ? panel.thresholds.filter(isRecord) : [];
  if (graphThresholds.length > 0) {
    const values = graphThresholds
      .map((t) => ({ value: Number(t.value), color: t.colorMode === 'warning' ? 'orange' : 'red' }))
      .filter((t) => Number.isFinite(t.value))
      .sort((a, b) => a.value - b.value);
    defaults.thresholds = { mode: 'absolute', steps: [{ color: 'green', value: null }, ...values] };
    custom.thresholdsStyle = { mode: graphThresholds.some((t) => t.fill === true) ? 'line+area' : 'line' };
  }
  const overrides = Array.isArray(previous.overrides) ? [...previous.overrides] : [];
  for (const [name, color] of Object.entries(isRecord(panel.aliasColors) ? panel.aliasColors : {})) {
    overrides.push({
      matcher: { id: 'byName', options: name },
      properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }],
    });
  }
  const seriesOverrides = Array.isArray(panel.seriesOverrides) ? panel.seriesOverrides : [];
  if (seriesOverrides.length > 0)
    lost.push(
      `panel "${title}": ${seriesOverrides.length} graph series override(s) not migrated to timeseries`,
    );
  if (Array.isArray(panel.timeRegions) && panel.timeRegions.length > 0)
    lost.push(`panel "${title}": graph time regions have no timeseries equivalent`);
  if (isRecord(panel.xaxis) && panel.xaxis.mode !== undefined && panel.xaxis.mode !== 'time')
    lost.push(`panel "${title}": graph x axis mode ${String(panel.xaxis.mode)} not migrated`);
  const calcs = LEGEND_CALCS.filter(([flag]) => legend[flag] === true).map(([, calc]) => calc);
  const migrated: Json = { ...panel };
  for (const field of GRAPH_FIELDS) delete migrated[field];
  const options = isRecord(panel.options) ? { ...panel.options } : {};
  delete options.alertThreshold;
  delete options.dataLinks;
  return {
    ...migrated,
    type: 'timeseries',
    fieldConfig: { defaults, overrides },
    options: {
      ...options,
      legend: {
        showLegend: legend.show !== false,
        displayMode: legend.alignAsTable === true ? 'table' : 'list',
        placement: legend.rightSide === true ? 'right' : 'bottom',
        calcs,
      },
      tooltip: {
        mode: tooltip.shared === false ? 'single' : 'multi',
        sort: tooltip.sort === 1 ? 'asc' : tooltip.sort === 2 ? 'desc' : 'none',
      },
    },
  };
}

const PROMETHEUS = datasourceRef('prometheus');
const DATASOURCE_VARIABLE = new Set([`$${DATASOURCES.prometheus.variable}`, PROMETHEUS.uid]);

/**
 * Before datasource references (schemaVersion 33) a panel or target named its datasource as a
 * string; Grafana's migration turns the datasource variable into a reference. Nulls mean unset.
 */
function withReferences(json: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(json)) {
    if (value === null) continue;
    if (key === 'datasource' && typeof value === 'string' && DATASOURCE_VARIABLE.has(value))
      out[key] = { ...PROMETHEUS };
    else if (key === 'targets' && Array.isArray(value))
      out[key] = value.map((t) => {
        if (!isRecord(t)) return t;
        const { interval, intervalFactor, ...target } = withReferences(t);
        return {
          ...target,
          ...(interval !== '' && interval !== undefined && { interval }),
          ...(intervalFactor !== 1 && intervalFactor !== undefined && { intervalFactor }),
        };
      });
    else out[key] = value;
  }
  return out;
}

function migratePanels(panels: readonly unknown[], normalisations: string[], lost: string[]): Json[] {
  return panels.filter(isRecord).map((original) => {
    const panel = withReferences(original);
    if (panel.type === 'row' && Array.isArray(panel.panels))
      return { ...panel, panels: migratePanels(panel.panels, normalisations, lost) };
    if (panel.type !== 'graph') return panel;
    normalisations.push(
      `panel "${String(panel.title ?? '')}": graph migrated to timeseries as Grafana migrates it`,
    );
    return migrateGraph(panel, lost);
  });
}

/** A classic dashboard of any schema version (16 and later, legacy rows before) in today's panel model. */
export function migrateDashboard(json: Json, normalisations: string[], lost: string[]): Json {
  let panels: unknown[] = Array.isArray(json.panels) ? json.panels : [];
  const { rows, ...rest } = json;
  if (panels.length === 0 && Array.isArray(rows)) {
    panels = panelsFromRows(rows.filter(isRecord));
    normalisations.push('legacy rows (schemaVersion < 16) laid out on the grid as row panels');
  }
  normalisations.push(
    'panel and target fields set to null, empty intervals and intervalFactor 1 dropped (Grafana reads them as unset); the datasource variable named as a string becomes a reference',
  );
  return { ...rest, panels: migratePanels(panels, normalisations, lost) };
}
