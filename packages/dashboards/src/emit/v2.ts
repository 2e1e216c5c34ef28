import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as classic from '@grafana/grafana-foundation-sdk/dashboard';
import * as v2 from '@grafana/grafana-foundation-sdk/dashboardv2beta1';
import { O11yError, type SourceLocation } from '@o11y/core';
import type { CompiledDashboard } from '../builder/dashboard.ts';
import type { Panel } from '../builder/panel.ts';

/** A dashboard in the v2 model and which builder each of its elements came from, for `verify`. */
export interface V2Dashboard {
  readonly spec: v2.Dashboard;
  readonly panelOf: ReadonlyMap<string, Panel>;
}

/** Panel settings that v2 keeps in a query group's `queryOptions`. */
const QUERY_OPTION_KEYS: readonly (keyof v2.QueryOptionsSpec & keyof classic.Panel)[] = [
  'interval',
  'maxDataPoints',
  'timeFrom',
  'timeShift',
  'cacheTimeout',
  'queryCachingTTL',
  'hideTimeOverride',
];

/** The classic JSON keys of a panel this converter carries over; any other is refused, not dropped. */
const PANEL_KEYS = new Set<string>([
  'id',
  'type',
  'title',
  'description',
  'datasource',
  'targets',
  'gridPos',
  'options',
  'fieldConfig',
  'transparent',
  'links',
  'transformations',
  'pluginVersion',
  // Meaningful only with `repeat`, which is refused.
  'repeatDirection',
  ...QUERY_OPTION_KEYS,
]);

const ROW_KEYS = new Set(['id', 'type', 'title', 'collapsed', 'gridPos', 'panels']);

/** Classic `graphTooltip` (0 off, 1 shared crosshair, 2 shared tooltip) → v2 `cursorSync`. */
const CURSOR_SYNC = [
  v2.DashboardCursorSync.Off,
  v2.DashboardCursorSync.Crosshair,
  v2.DashboardCursorSync.Tooltip,
];
const HIDE = [v2.VariableHide.DontHide, v2.VariableHide.HideLabel, v2.VariableHide.HideVariable];
const REFRESH = [
  v2.VariableRefresh.Never,
  v2.VariableRefresh.OnDashboardLoad,
  v2.VariableRefresh.OnTimeRangeChanged,
];
/** Classic sort codes 0–8 in Grafana's order. */
const SORT = [
  v2.VariableSort.Disabled,
  v2.VariableSort.AlphabeticalAsc,
  v2.VariableSort.AlphabeticalDesc,
  v2.VariableSort.NumericalAsc,
  v2.VariableSort.NumericalDesc,
  v2.VariableSort.AlphabeticalCaseInsensitiveAsc,
  v2.VariableSort.AlphabeticalCaseInsensitiveDesc,
  v2.VariableSort.NaturalAsc,
  v2.VariableSort.NaturalDesc,
];

/** Classic numeric codes (the index) and the v2 enum values they become; the import reads them backwards. */
export const V2_CODES = { cursorSync: CURSOR_SYNC, hide: HIDE, refresh: REFRESH, sort: SORT } as const;

/** The refresh intervals a v2 dashboard lists when it keeps Grafana's (the classic model's unset `timepicker`). */
export const V2_DEFAULT_REFRESH_INTERVALS: readonly string[] =
  v2.defaultTimeSettingsSpec().autoRefreshIntervals;

/** The element name of a panel: Grafana's own naming for dashboards converted from the classic model. */
export function elementName(panelId: number): string {
  return `panel-${panelId}`;
}

/** A query in the v2 envelope: the datasource plugin type as group, the datasource by (variable) uid. */
function dataQuery(datasource: classic.DataSourceRef | undefined, spec: object): v2.DataQueryKind {
  return {
    kind: 'DataQuery',
    group: datasource?.type ?? '',
    version: 'v0',
    ...(datasource?.uid !== undefined && { datasource: { name: datasource.uid } }),
    spec,
  };
}

/**
 * Converts a compiled dashboard to `dashboard.grafana.app/v2beta1`: panels become elements named
 * `panel-<id>`, rows a RowsLayout of GridLayouts (y relative to the row; panels before the first row in a
 * row without header), variables, annotations, links and time settings their v2 kinds. The classic JSON
 * is the input so that `.configure()` settings made through the SDK carry over; a setting this converter
 * cannot express fails at the line that made it instead of vanishing from the v2 output.
 */
export function toV2(compiled: CompiledDashboard): V2Dashboard {
  const { json, definition } = compiled;
  const elements: Record<string, v2.Element> = {};
  const panelOf = new Map<string, Panel>();
  const rows: { row?: classic.RowPanel; items: v2.GridLayoutItemKind[] }[] = [];
  let current: (typeof rows)[number] = { items: [] };
  const place = (panelJson: classic.Panel, rowTop: number, source: SourceLocation) => {
    const name = elementName(panelJson.id!);
    elements[name] = panelElement(panelJson, source);
    const { x, y, w, h } = panelJson.gridPos ?? { x: 0, y: 0, w: 12, h: 8 };
    current.items.push({
      kind: 'GridLayoutItem',
      spec: { x, y: y - rowTop, width: w, height: h, element: { kind: 'ElementReference', name } },
    });
  };
  (json.panels ?? []).forEach((panelJson, index) => {
    if (panelJson.type === 'row') {
      const row = panelJson as classic.RowPanel;
      const unknownKeys = Object.keys(row).filter((key) => !ROW_KEYS.has(key));
      if (unknownKeys.length > 0)
        throw unsupported(`row "${row.title}" sets ${unknownKeys.join(', ')}`, definition.source);
      if (current.row || current.items.length > 0) rows.push(current);
      current = { row, items: [] };
      // A collapsed row holds its panels; their y continues below the header as if expanded.
      for (const inner of row.panels ?? []) place(inner, row.gridPos!.y + 1, definition.source);
      return;
    }
    const panel = compiled.panelAt[index];
    if (panel) panelOf.set(elementName(panelJson.id!), panel);
    place(
      panelJson as classic.Panel,
      current.row ? current.row.gridPos!.y + 1 : 0,
      panel?.source ?? definition.source,
    );
  });
  rows.push(current);

  const grid = (items: v2.GridLayoutItemKind[]): v2.GridLayoutKind => ({
    kind: 'GridLayout',
    spec: { items },
  });
  const layout: v2.Dashboard['layout'] = rows.some((r) => r.row)
    ? {
        kind: 'RowsLayout',
        spec: {
          rows: rows.map(({ row, items }) => ({
            kind: 'RowsLayoutRow',
            spec: row
              ? { title: row.title ?? '', collapse: row.collapsed ?? false, layout: grid(items) }
              : { title: '', hideHeader: true, layout: grid(items) },
          })),
        },
      }
    : grid(rows[0]!.items);

  const time = json.time ?? { from: 'now-6h', to: 'now' };
  const defaults = v2.defaultTimeSettingsSpec();
  const spec: v2.Dashboard = {
    title: json.title ?? definition.title,
    ...(json.description !== undefined && { description: json.description }),
    tags: json.tags ?? [],
    editable: json.editable ?? true,
    ...(json.liveNow !== undefined && { liveNow: json.liveNow }),
    preload: false,
    cursorSync: CURSOR_SYNC[json.graphTooltip ?? 0] ?? v2.DashboardCursorSync.Off,
    annotations: (json.annotations?.list ?? []).map(annotation),
    links: (json.links ?? []).map(link),
    variables: (json.templating?.list ?? []).map((variable) => variableKind(variable, definition.source)),
    timeSettings: {
      ...(json.timezone !== undefined && { timezone: json.timezone }),
      from: time.from,
      to: time.to,
      autoRefresh: json.refresh ?? '',
      autoRefreshIntervals: json.timepicker?.refresh_intervals ?? defaults.autoRefreshIntervals,
      hideTimepicker: json.timepicker?.hidden ?? false,
      fiscalYearStartMonth: json.fiscalYearStartMonth ?? 0,
      ...(json.weekStart && { weekStart: json.weekStart as NonNullable<v2.TimeSettingsSpec['weekStart']> }),
      ...(json.timepicker?.nowDelay && { nowDelay: json.timepicker.nowDelay }),
    },
    elements,
    layout,
  };
  return { spec, panelOf };
}

function panelElement(panelJson: classic.Panel, source: SourceLocation): v2.PanelKind {
  const unknownKeys = Object.keys(panelJson).filter((key) => !PANEL_KEYS.has(key));
  if (unknownKeys.length > 0)
    throw unsupported(`panel "${panelJson.title}" sets ${unknownKeys.join(', ')}`, source);
  const queryOptions: v2.QueryOptionsSpec = {};
  for (const key of QUERY_OPTION_KEYS) {
    if (panelJson[key] !== undefined) Object.assign(queryOptions, { [key]: panelJson[key] });
  }
  const queries = (panelJson.targets ?? []).map((target): v2.PanelQueryKind => {
    const { datasource, refId, hide, ...query } = target as cog.Dataquery & {
      datasource?: classic.DataSourceRef;
      refId: string;
      hide?: boolean;
    };
    return {
      kind: 'PanelQuery',
      spec: { refId, hidden: hide ?? false, query: dataQuery(datasource ?? panelJson.datasource, query) },
    };
  });
  return {
    kind: 'Panel',
    spec: {
      id: panelJson.id!,
      title: panelJson.title ?? '',
      ...(panelJson.description !== undefined && { description: panelJson.description }),
      links: (panelJson.links ?? []).map(({ title, url, targetBlank }) => ({
        title,
        url: url ?? '',
        ...(targetBlank !== undefined && { targetBlank }),
      })),
      ...(panelJson.transparent !== undefined && { transparent: panelJson.transparent }),
      data: {
        kind: 'QueryGroup',
        spec: {
          queries,
          // Same fields; the SDK types `topic` as a string union here and as an enum of the same strings in v2.
          transformations: (panelJson.transformations ?? []).map((t) => ({
            kind: t.id,
            spec: t as v2.DataTransformerConfig,
          })),
          queryOptions,
        },
      },
      vizConfig: {
        kind: 'VizConfig',
        group: panelJson.type,
        version: panelJson.pluginVersion ?? '',
        spec: {
          options: panelJson.options ?? {},
          fieldConfig: (panelJson.fieldConfig ?? { defaults: {}, overrides: [] }) as v2.FieldConfigSource,
        },
      },
    },
  };
}

function annotation(query: classic.AnnotationQuery): v2.AnnotationQueryKind {
  return {
    kind: 'AnnotationQuery',
    spec: {
      name: query.name,
      enable: query.enable,
      hide: query.hide ?? false,
      iconColor: query.iconColor,
      ...(query.builtIn !== undefined && { builtIn: query.builtIn === 1 }),
      ...(query.placement !== undefined && { placement: v2.AnnotationQueryPlacement.InControlsMenu }),
      query: dataQuery(query.datasource, query.target ?? {}),
      // The classic `type` ("dashboard" for the built-in alerts query) has no v2 field of its own.
      ...(query.type !== undefined && { legacyOptions: { type: query.type } }),
    },
  };
}

function link(classicLink: classic.DashboardLink): v2.DashboardLink {
  const { placement, type, ...rest } = classicLink;
  return {
    ...rest,
    type: type === 'dashboards' ? v2.DashboardLinkType.Dashboards : v2.DashboardLinkType.Link,
    ...(placement !== undefined && { placement: v2.DashboardLinkPlacement.InControlsMenu }),
  };
}

type ClassicVariable = classic.VariableModel & { query?: unknown; definition?: string };

function option(value: classic.VariableOption | undefined): v2.VariableOption {
  if (!value) return { text: '', value: '' };
  return {
    text: value.text,
    value: value.value,
    ...(value.selected !== undefined && { selected: value.selected }),
  };
}

/** The fields every v2 variable kind shares with its classic form. */
function common(variable: ClassicVariable) {
  return {
    name: variable.name,
    current: option(variable.current),
    hide: HIDE[variable.hide ?? 0] ?? v2.VariableHide.DontHide,
    skipUrlSync: variable.skipUrlSync ?? false,
    ...(variable.label !== undefined && { label: variable.label }),
    ...(variable.description !== undefined && { description: variable.description }),
  };
}

/** The fields of the kinds that offer a list of values. */
function choices(variable: ClassicVariable) {
  return {
    options: (variable.options ?? []).map(option),
    multi: variable.multi ?? false,
    includeAll: variable.includeAll ?? false,
    ...(variable.allValue !== undefined && { allValue: variable.allValue }),
    allowCustomValue: variable.allowCustomValue ?? true,
  };
}

function unsupported(what: string, source: SourceLocation): O11yError {
  return new O11yError(`${what}, which the v2 resource converter does not carry over`, {
    id: 'dashboards/resource-v2',
    source,
    hint: "change it, or ask for v1 resources only (grafanaStack({ resources: ['v1'] }))",
  });
}

/**
 * A query variable's query for its datasource: an object is already the plugin's query; a string is
 * Prometheus's `label_values(…)` text, which the Prometheus plugin reads as `query`.
 */
function variableQuery(variable: ClassicVariable, source: SourceLocation): v2.DataQueryKind {
  if (typeof variable.query === 'object' && variable.query !== null) {
    return dataQuery(variable.datasource, variable.query);
  }
  if (variable.datasource?.type !== 'prometheus') {
    throw unsupported(
      `variable $${variable.name} has a text query for ${variable.datasource?.type ?? 'no'} datasource`,
      source,
    );
  }
  return dataQuery(variable.datasource, {
    refId: 'PrometheusVariableQueryEditor-VariableQuery',
    query: variable.query ?? '',
  });
}

function variableKind(variable: ClassicVariable, source: SourceLocation): v2.VariableKind {
  const query = typeof variable.query === 'string' ? variable.query : '';
  switch (variable.type) {
    case 'datasource':
      return {
        kind: 'DatasourceVariable',
        spec: {
          ...common(variable),
          ...choices(variable),
          pluginId: query,
          refresh: v2.VariableRefresh.OnDashboardLoad,
          regex: variable.regex ?? '',
        },
      };
    case 'query':
      return {
        kind: 'QueryVariable',
        spec: {
          ...common(variable),
          ...choices(variable),
          query: variableQuery(variable, source),
          ...(variable.definition !== undefined && { definition: variable.definition }),
          refresh: REFRESH[variable.refresh ?? 0] ?? v2.VariableRefresh.Never,
          regex: variable.regex ?? '',
          sort: SORT[variable.sort ?? 0] ?? v2.VariableSort.Disabled,
        },
      };
    case 'custom':
      return { kind: 'CustomVariable', spec: { ...common(variable), ...choices(variable), query } };
    case 'constant':
      return { kind: 'ConstantVariable', spec: { ...common(variable), query } };
    default:
      throw unsupported(`variable $${variable.name} is a ${variable.type} variable`, source);
  }
}
