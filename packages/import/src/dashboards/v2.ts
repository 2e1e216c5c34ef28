import { V2_CODES, V2_DEFAULT_REFRESH_INTERVALS } from '@o11y/dashboards';
import { V2_VARIABLE_TYPES } from '@o11y/lint';
import { isRecord, type Json } from '../json.ts';

/** A v2 dashboard the converter cannot express in the classic model, and why. */
export class V2Unsupported extends Error {}

const GRID_WIDTH = 24;
const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const recordOf = (value: unknown): Json => (isRecord(value) ? value : {});
const isEmpty = (value: unknown) =>
  value === undefined ||
  (Array.isArray(value) && value.length === 0) ||
  (isRecord(value) && Object.keys(value).length === 0);

/** Only the fields that say something: v2 spells every optional field out, the classic model omits them. */
function present(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => !isEmpty(value)));
}

/** A v2 enum value → the classic numeric code (its index in the emitter's table). */
function code(table: readonly string[], value: unknown, what: string): number {
  const index = table.indexOf(String(value));
  if (index < 0) throw new V2Unsupported(`${what} ${String(value)} has no classic equivalent`);
  return index;
}

/** A `DataQuery` kind's datasource as a classic reference: the group is the plugin type, the name the uid. */
function datasourceOf(query: Json): Json | undefined {
  const name = recordOf(query.datasource).name;
  const ref = present({
    ...(typeof query.group === 'string' && query.group !== '' && { type: query.group }),
    ...(typeof name === 'string' && name !== '' && { uid: name }),
  });
  return Object.keys(ref).length > 0 ? ref : undefined;
}

function target(panelQuery: Json): Json {
  const spec = recordOf(panelQuery.spec);
  const query = recordOf(spec.query);
  const datasource = datasourceOf(query);
  return {
    ...(typeof spec.refId === 'string' && { refId: spec.refId }),
    ...(datasource && { datasource }),
    ...(spec.hidden === true && { hide: true }),
    ...recordOf(query.spec),
  };
}

/** A `Panel` element at its place on the grid → a classic panel. */
function panel(name: string, element: Json, gridPos: Json, repeat: Json, lost: string[]): Json {
  if (element.kind !== 'Panel')
    throw new V2Unsupported(
      `element ${name} is a ${String(element.kind)} (only Panel elements are converted)`,
    );
  const spec = recordOf(element.spec);
  const title = String(spec.title ?? '');
  const group = recordOf(recordOf(spec.data).spec);
  const viz = recordOf(spec.vizConfig);
  const vizSpec = recordOf(viz.spec);
  const targets = records(group.queries).map(target);
  // The classic panel names a datasource when all its queries share one, as Grafana's conversion does.
  const refs = new Set(targets.map((t) => JSON.stringify(t.datasource)));
  const shared = refs.size === 1 ? targets[0]!.datasource : undefined;
  if (typeof spec.subtitle === 'string' && spec.subtitle !== '')
    lost.push(`panel "${title}": the v2 subtitle has no classic field`);
  const fieldConfig = recordOf(vizSpec.fieldConfig);
  return present({
    id: spec.id,
    type: viz.group,
    title,
    description: spec.description,
    transparent: spec.transparent,
    links: spec.links,
    datasource: shared,
    targets,
    transformations: records(group.transformations).map((t) => recordOf(t.spec)),
    ...recordOf(group.queryOptions),
    options: vizSpec.options,
    fieldConfig: isEmpty(fieldConfig.defaults) && isEmpty(fieldConfig.overrides) ? undefined : fieldConfig,
    pluginVersion: viz.version === '' ? undefined : viz.version,
    gridPos,
    ...(repeat.value !== undefined && {
      repeat: repeat.value,
      repeatDirection: repeat.direction,
      maxPerRow: repeat.maxPerRow,
    }),
  });
}

/** The panels of a `GridLayout`, their y moved down by `top` (v2 rows count y from their header). */
function gridPanels(layout: Json, top: number, elements: Json, lost: string[]): Json[] {
  if (layout.kind !== 'GridLayout')
    throw new V2Unsupported(
      `a ${String(layout.kind)} (GridLayout and RowsLayout of GridLayouts are converted)`,
    );
  return records(recordOf(layout.spec).items).map((item) => {
    const spec = recordOf(item.spec);
    const name = String(recordOf(spec.element).name);
    const element = elements[name];
    if (!isRecord(element))
      throw new V2Unsupported(`the layout places element ${name}, which is not defined`);
    const place = [spec.x, spec.y, spec.width, spec.height];
    if (!place.every(Number.isInteger))
      throw new V2Unsupported(
        `element ${name} has no place on the grid (x, y, width and height as whole numbers)`,
      );
    const gridPos = { x: spec.x, y: Number(spec.y) + top, w: spec.width, h: spec.height };
    return panel(name, element, gridPos, recordOf(spec.repeat), lost);
  });
}

const bottom = (panels: readonly Json[], from: number) =>
  Math.max(from, ...panels.map((p) => Number(recordOf(p.gridPos).y) + Number(recordOf(p.gridPos).h)));

/**
 * A `RowsLayout` → row panels, each followed by its panels (a collapsed row holds them), laid out one
 * row below the other. A first row without header is the classic model's panels above every row.
 */
function rowPanels(layout: Json, elements: Json, lost: string[]): Json[] {
  const panels: Json[] = [];
  let y = 0;
  let id = Math.max(0, ...Object.values(elements).map((e) => Number(recordOf(recordOf(e).spec).id) || 0));
  for (const [index, row] of records(recordOf(layout.spec).rows).entries()) {
    const spec = recordOf(row.spec);
    const title = String(spec.title ?? '');
    for (const field of ['conditionalRendering', 'variables', 'fillScreen'] as const)
      if (spec[field] !== undefined && spec[field] !== false)
        lost.push(`row "${title}": the v2 ${field} has no classic field`);
    if (spec.hideHeader === true && index === 0) {
      const header = gridPanels(recordOf(spec.layout), y, elements, lost);
      panels.push(...header);
      y = bottom(header, y);
      continue;
    }
    if (spec.hideHeader === true)
      lost.push(`row "${title}": a hidden row header is shown in the classic model`);
    const inner = gridPanels(recordOf(spec.layout), y + 1, elements, lost);
    const collapsed = spec.collapse === true;
    const repeat = recordOf(spec.repeat).value;
    panels.push({
      type: 'row',
      title,
      id: ++id,
      collapsed,
      gridPos: { x: 0, y, w: GRID_WIDTH, h: 1 },
      panels: collapsed ? inner : [],
      ...(repeat !== undefined && { repeat }),
    });
    if (!collapsed) panels.push(...inner);
    y = bottom(inner, y + 1);
  }
  return panels;
}

const HIDE = V2_CODES.hide as readonly string[];

/** A v2 variable kind → the classic variable: enums as codes, the query kind as datasource and query. */
function variable(kind: Json): Json {
  const type = V2_VARIABLE_TYPES[String(kind.kind)];
  if (!type) throw new V2Unsupported(`variable kind ${String(kind.kind)} has no classic equivalent`);
  const { query, hide, refresh, sort, pluginId, origin: _origin, ...spec } = recordOf(kind.spec);
  const classic: Json = {
    name: spec.name,
    type,
    ...spec,
    hide: code(HIDE, hide ?? 'dontHide', 'variable hide'),
  };
  if (type === 'datasource') classic.query = pluginId;
  else if (isRecord(query)) {
    const datasource = datasourceOf(query);
    if (datasource) classic.datasource = datasource;
    classic.query = recordOf(query.spec);
  } else if (query !== undefined) classic.query = query;
  // Ad hoc and group-by variables name their datasource on the kind itself.
  const datasource = datasourceOf(kind);
  if (datasource && classic.datasource === undefined && type !== 'query') classic.datasource = datasource;
  if (refresh !== undefined)
    classic.refresh = type === 'interval' ? 2 : code(V2_CODES.refresh, refresh, 'variable refresh');
  if (sort !== undefined) classic.sort = code(V2_CODES.sort, sort, 'variable sort');
  return classic;
}

function annotation(kind: Json): Json {
  const { query, builtIn, legacyOptions, placement: _placement, ...spec } = recordOf(kind.spec);
  const dataQuery = recordOf(query);
  return present({
    ...spec,
    ...(builtIn === true && { builtIn: 1 }),
    datasource: datasourceOf(dataQuery),
    target: dataQuery.spec,
    ...recordOf(legacyOptions),
  });
}

/**
 * A `dashboard.grafana.app` v2 spec (and its resource name) → the classic dashboard JSON it stands for:
 * elements placed where the GridLayout or RowsLayout puts them, queries with their datasource as a
 * reference, variables and annotations with their classic fields, time settings. Tabs, auto grids
 * and library panels have no classic equivalent and are refused (`V2Unsupported`).
 */
export function classicFromV2(spec: Json, name: string | undefined, lost: string[]): Json {
  const elements = recordOf(spec.elements);
  const layout = recordOf(spec.layout);
  const panels =
    layout.kind === 'RowsLayout' ? rowPanels(layout, elements, lost) : gridPanels(layout, 0, elements, lost);
  const time = recordOf(spec.timeSettings);
  if (spec.preload === true) lost.push('preload has no classic field');
  return present({
    ...(name !== undefined && { uid: name }),
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: spec.editable,
    liveNow: spec.liveNow,
    revision: spec.revision,
    graphTooltip:
      spec.cursorSync === undefined ? undefined : code(V2_CODES.cursorSync, spec.cursorSync, 'cursorSync'),
    links: records(spec.links).map(({ placement: _placement, origin: _origin, ...link }) => link),
    // Absent is unset; an empty list says "none" (e.g. no built-in annotation) and is kept.
    annotations:
      spec.annotations === undefined ? undefined : { list: records(spec.annotations).map(annotation) },
    templating: spec.variables === undefined ? undefined : { list: records(spec.variables).map(variable) },
    time: time.from === undefined ? undefined : { from: time.from, to: time.to },
    timezone: time.timezone,
    refresh: time.autoRefresh,
    weekStart: time.weekStart,
    fiscalYearStartMonth: time.fiscalYearStartMonth === 0 ? undefined : time.fiscalYearStartMonth,
    timepicker: present({
      refresh_intervals:
        JSON.stringify(time.autoRefreshIntervals) === JSON.stringify(V2_DEFAULT_REFRESH_INTERVALS)
          ? undefined
          : time.autoRefreshIntervals,
      hidden: time.hideTimepicker === true ? true : undefined,
      nowDelay: time.nowDelay,
      quick_ranges: time.quickRanges,
    }),
    panels,
  });
}
