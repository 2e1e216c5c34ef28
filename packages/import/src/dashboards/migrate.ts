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

/** Old singlestat `valueName`s and the reducer Grafana's migration picks; any other is `mean`. */
const SINGLESTAT_CALCS: Readonly<Record<string, string>> = {
  avg: 'mean',
  current: 'lastNotNull',
  total: 'sum',
  min: 'min',
  max: 'max',
  first: 'first',
  delta: 'delta',
  diff: 'diff',
  range: 'range',
};

/** Singlestat-only fields: the stat and gauge panels spell them in `fieldConfig` and `options`. */
const SINGLESTAT_FIELDS = [
  'colorBackground',
  'colorPostfix',
  'colorPrefix',
  'colorValue',
  'colors',
  'decimals',
  'format',
  'gauge',
  'mappingType',
  'mappingTypes',
  'nullPointMode',
  'nullText',
  'postfix',
  'postfixFontSize',
  'prefix',
  'prefixFontSize',
  'rangeMaps',
  'sparkline',
  'tableColumn',
  'thresholds',
  'valueFontSize',
  'valueMaps',
  'valueName',
];

type Step = { color: string; value: number | null };

/** The colour of the threshold step a number falls in (the first step starts at -Infinity); none for NaN. */
function stepColour(steps: readonly Step[], value: number): string | undefined {
  if (Number.isNaN(value)) return undefined;
  return steps.filter((step, i) => i === 0 || (step.value !== null && value >= step.value)).at(-1)?.color;
}

/**
 * Value and range maps → value mappings, one per old map as Grafana upgrades them: `null` is the
 * special null match, a text that reads as a number takes the colour its threshold step has.
 */
function singlestatMappings(panel: Json, steps: readonly Step[]): Json[] {
  const valueMaps = Array.isArray(panel.valueMaps) ? panel.valueMaps.filter(isRecord) : [];
  const rangeMaps = Array.isArray(panel.rangeMaps) ? panel.rangeMaps.filter(isRecord) : [];
  const type = panel.mappingType ?? (valueMaps.length > 0 ? 1 : rangeMaps.length > 0 ? 2 : undefined);
  const result = (text: unknown) => {
    const color = stepColour(steps, Number.parseFloat(String(text ?? '')));
    return { text, ...(color !== undefined && { color }) };
  };
  const special = (text: unknown) => ({ type: 'special', options: { match: 'null', result: result(text) } });
  if (type === 1)
    return valueMaps
      .filter((m) => m.value !== null && m.value !== undefined)
      .map((m) =>
        m.value === 'null'
          ? special(m.text)
          : { type: 'value', options: { [String(m.value)]: result(m.text) } },
      );
  if (type === 2)
    return rangeMaps.map((m) =>
      m.from === 'null' || m.to === 'null'
        ? special(m.text)
        : { type: 'range', options: { from: Number(m.from), to: Number(m.to), result: result(m.text) } },
    );
  return [];
}

/**
 * An old `singlestat` panel as Grafana's migration turns it into a `stat` panel, or a `gauge` when
 * its gauge was shown: valueName → reduce calcs, format → unit, decimals, null text, thresholds and
 * colours → threshold steps, value and range maps → value mappings, sparkline → graph mode, colour
 * background/value → colour mode, gauge min, max and markers. Grafana drops prefix and postfix; a
 * prefix or a postfix alone on a panel without a unit becomes the custom unit that shows it.
 */
function migrateSinglestat(panel: Json, lost: string[]): { panel: Json; note: string } {
  const title = String(panel.title ?? '');
  const gauge = isRecord(panel.gauge) ? panel.gauge : {};
  const sparkline = isRecord(panel.sparkline) ? panel.sparkline : {};
  const type = gauge.show === true ? 'gauge' : 'stat';
  const valueName = String(panel.valueName ?? 'avg');
  if (!(valueName in SINGLESTAT_CALCS) && valueName !== 'name')
    lost.push(`panel "${title}": value ${valueName} has no reducer, the mean is shown`);
  const options: Json = {
    reduceOptions: {
      calcs: [SINGLESTAT_CALCS[valueName] ?? 'mean'],
      ...(typeof panel.tableColumn === 'string' &&
        panel.tableColumn !== '' && { fields: `/^${panel.tableColumn}$/` }),
    },
    orientation: 'horizontal',
  };
  const defaults: Json = {};
  const notes: string[] = [];
  const format = typeof panel.format === 'string' && panel.format !== '' ? panel.format : undefined;
  const [prefix, postfix] = [panel.prefix, panel.postfix].map((v) =>
    typeof v === 'string' && v !== '' ? v : undefined,
  );
  if ((prefix === undefined) !== (postfix === undefined) && (format === undefined || format === 'none')) {
    defaults.unit = prefix !== undefined ? `prefix:${prefix}` : `suffix:${postfix}`;
    notes.push(`${prefix !== undefined ? 'prefix' : 'postfix'} as the unit ${String(defaults.unit)}`);
  } else {
    if (format !== undefined) defaults.unit = format;
    if (prefix !== undefined || postfix !== undefined)
      lost.push(`panel "${title}": prefix and postfix have no ${type} option (Grafana drops them too)`);
  }
  const decimals = numberOrUndefined(panel.decimals);
  if (decimals !== undefined) defaults.decimals = decimals;
  if (typeof panel.nullPointMode === 'string') defaults.nullValueMode = panel.nullPointMode;
  if (typeof panel.nullText === 'string' && panel.nullText !== '') defaults.noValue = panel.nullText;
  const colors = Array.isArray(panel.colors) ? panel.colors.map(String) : [];
  const steps: Step[] = [];
  if (typeof panel.thresholds === 'string' && panel.thresholds !== '' && colors.length > 0) {
    const levels = panel.thresholds.split(',').map((level) => Number(level.trim()));
    for (const [index, color] of colors.slice(0, levels.length + 1).entries())
      steps.push({ color, value: index === 0 ? null : levels[index - 1]! });
    defaults.thresholds = { mode: 'absolute', steps };
  }
  const mappings = singlestatMappings(panel, steps);
  if (mappings.length > 0) defaults.mappings = mappings;
  if (type === 'gauge') {
    defaults.min = gauge.minValue;
    defaults.max = gauge.maxValue;
    options.showThresholdMarkers = gauge.thresholdMarkers;
    options.showThresholdLabels = gauge.thresholdLabels;
  } else {
    options.graphMode = sparkline.show === true ? 'area' : 'none';
    options.colorMode =
      panel.colorBackground === true ? 'background' : panel.colorValue === true ? 'value' : 'none';
    if (
      options.colorMode === 'none' &&
      options.graphMode === 'area' &&
      typeof sparkline.lineColor === 'string'
    )
      defaults.color = { mode: 'fixed', fixedColor: sparkline.lineColor };
    if (valueName === 'name') options.textMode = 'name';
    if (sparkline.show === true && sparkline.full === true)
      lost.push(`panel "${title}": sparkline full height has no stat option`);
  }
  // Explicit bounds for percentages, as Grafana's single-stat migration sets them.
  const bounds = { percent: [0, 100], percentunit: [0, 1] }[String(defaults.unit)];
  if (bounds) {
    defaults.min ??= bounds[0];
    defaults.max ??= bounds[1];
  }
  if (panel.colorPrefix === true || panel.colorPostfix === true)
    lost.push(`panel "${title}": coloured prefix and postfix have no ${type} option`);
  const migrated: Json = { ...panel };
  for (const field of SINGLESTAT_FIELDS) delete migrated[field];
  const previous = isRecord(panel.fieldConfig) ? panel.fieldConfig : {};
  return {
    panel: {
      ...migrated,
      type,
      options,
      fieldConfig: { defaults, overrides: Array.isArray(previous.overrides) ? previous.overrides : [] },
    },
    note: `panel "${title}": singlestat migrated to ${type} as Grafana migrates it${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
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
    if (panel.type === 'singlestat') {
      const singlestat = migrateSinglestat(panel, lost);
      normalisations.push(singlestat.note);
      return singlestat.panel;
    }
    if (panel.type !== 'graph') return panel;
    normalisations.push(
      `panel "${String(panel.title ?? '')}": graph migrated to timeseries as Grafana migrates it`,
    );
    return migrateGraph(panel, lost);
  });
}

/** Variable fields at the value Grafana reads when they are absent. */
const VARIABLE_DEFAULTS: readonly [string, unknown][] = [
  ['hide', 0],
  ['skipUrlSync', false],
  ['regex', ''],
  ['options', []],
  ['current', {}],
  ['datasource', null],
];
/** Tag fields of variables, which Grafana's migration (schema version 28) removes. */
const VARIABLE_TAG_FIELDS = ['tags', 'tagsQuery', 'tagValuesQuery', 'useTags'];
/** Variables whose options Grafana computes from their query on load. */
const OPTIONS_FROM_QUERY = new Set(['custom', 'interval']);

/**
 * A variable as Grafana reads it: fields at their defaults, options it computes from the query and
 * tag fields dropped; the datasource variable named as a string is a reference; a Prometheus query
 * object holding only the query text is that text (the plugin reads either).
 */
function normaliseVariable(variable: Json): Json {
  const out = withReferences(variable);
  for (const [field, value] of VARIABLE_DEFAULTS)
    if (field in variable && JSON.stringify(variable[field]) === JSON.stringify(value)) delete out[field];
  for (const field of VARIABLE_TAG_FIELDS) delete out[field];
  if (OPTIONS_FROM_QUERY.has(String(variable.type))) delete out.options;
  const query = out.query;
  if (
    isRecord(query) &&
    typeof query.query === 'string' &&
    Object.keys(query).every((key) => ['query', 'refId', 'qryType'].includes(key)) &&
    (out.datasource === undefined || (isRecord(out.datasource) && out.datasource.type === 'prometheus'))
  )
    out.query = query.query;
  return out;
}

/** A classic dashboard of any schema version (16 and later, legacy rows before) in today's panel model. */
export function migrateDashboard(json: Json, normalisations: string[], lost: string[]): Json {
  let panels: unknown[] = Array.isArray(json.panels) ? json.panels : [];
  const { rows, ...rest } = json;
  if (isRecord(rest.templating) && Array.isArray(rest.templating.list) && rest.templating.list.length > 0) {
    rest.templating = {
      ...rest.templating,
      list: rest.templating.list.map((v) => (isRecord(v) ? normaliseVariable(v) : v)),
    };
    normalisations.push(
      "variable fields at Grafana's defaults (hide 0, skipUrlSync false, empty regex, options and current), the options Grafana computes from a custom or interval variable's query and the tag fields its migration removes dropped; a Prometheus variable's query object holding only its text is that text; the datasource variable named as a string becomes a reference",
    );
  }
  if (panels.length === 0 && Array.isArray(rows)) {
    panels = panelsFromRows(rows.filter(isRecord));
    normalisations.push('legacy rows (schemaVersion < 16) laid out on the grid as row panels');
  }
  normalisations.push(
    'panel and target fields set to null, empty intervals and intervalFactor 1 dropped (Grafana reads them as unset); the datasource variable named as a string becomes a reference',
  );
  return { ...rest, panels: migratePanels(panels, normalisations, lost) };
}
