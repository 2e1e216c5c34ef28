import type { DashboardModel, PanelModel, QueryModel, VariableModel } from '@o11y/core';
import { isScalar, type Node, type YAMLMap } from 'yaml';
import {
  asMap,
  type ExpressionOrigin,
  field,
  items,
  type PositionedDocument,
  plain,
  text,
} from './document.ts';

export interface LoadedDashboard {
  readonly dashboard: DashboardModel;
  readonly origins: Map<QueryModel, ExpressionOrigin>;
}

/** Whether a map is a classic Grafana dashboard: panels (schema 16 and later) or rows (before). */
export function isClassicDashboard(map: YAMLMap | undefined): boolean {
  return field(map, 'panels') !== undefined || field(map, 'rows') !== undefined;
}

/** A `dashboard.grafana.app` v2 spec (v2alpha1, v2beta1, v2): panels are `elements` placed by a `layout`. */
export function isV2Dashboard(map: YAMLMap | undefined): boolean {
  return !!asMap(field(map, 'elements'));
}

/**
 * A classic Grafana dashboard (the JSON model, an API export's `dashboard`, or a v1 resource's
 * `spec`), read into the model with the file:line of every panel and query. Collapsed rows' panels
 * are included, and so are the panels of legacy `rows` (schemaVersion < 16).
 */
export function loadClassicDashboard(
  document: PositionedDocument,
  root: YAMLMap,
  meta: { uid?: string; folder?: string } = {},
): LoadedDashboard {
  const origins = new Map<QueryModel, ExpressionOrigin>();
  const variables: VariableModel[] = items(field(asMap(field(root, 'templating')), 'list')).flatMap(
    (node) => {
      const variable = asMap(node);
      const name = text(variable, 'name');
      if (!name) return [];
      const queryNode = field(variable, 'query');
      const query = isScalar(queryNode) ? text(variable, 'query') : text(asMap(queryNode), 'query');
      const datasource = plain(field(variable, 'datasource'));
      return [
        {
          name,
          type: text(variable, 'type') ?? 'query',
          ...(query !== undefined && { query }),
          ...(datasource !== undefined && { datasource }),
        },
      ];
    },
  );
  const panelNodes = [
    ...flattenRows(items(field(root, 'panels'))),
    ...items(field(root, 'rows')).flatMap((row) => flattenRows(items(field(asMap(row), 'panels')))),
  ];
  const panels = panelNodes.map((node) => loadPanel(document, node, origins));
  return {
    origins,
    dashboard: dashboardOf(document, root, text(root, 'uid') ?? meta.uid, meta.folder, variables, panels),
  };
}

/** The model of a dashboard whose JSON (or resource spec) is `root`. */
function dashboardOf(
  document: PositionedDocument,
  root: YAMLMap,
  uid: string | undefined,
  folder: string | undefined,
  variables: VariableModel[],
  panels: PanelModel[],
): DashboardModel {
  return {
    uid: uid ?? '',
    title: text(root, 'title') ?? '',
    variables,
    panels,
    source: document.locate(root),
    ...(folder !== undefined && { folder }),
  };
}

/** Rows are layout, not panels; a collapsed row keeps its panels inside it. */
function flattenRows(nodes: readonly Node[]): YAMLMap[] {
  return nodes.flatMap((node) => {
    const panel = asMap(node);
    if (!panel) return [];
    if (text(panel, 'type') === 'row') return flattenRows(items(field(panel, 'panels')));
    return [panel];
  });
}

/**
 * A panel's unit: the field config's, or where panels keep it elsewhere: the heatmap's y axis
 * (`options.yAxis.unit`), legacy graphs' first y axis (`yaxes[0].format`), singlestat's `format`.
 */
function unitOf(panel: YAMLMap, fieldConfig: YAMLMap | undefined): string | undefined {
  return (
    text(asMap(field(fieldConfig, 'defaults')), 'unit') ??
    text(asMap(field(asMap(field(panel, 'options')), 'yAxis')), 'unit') ??
    text(asMap(items(field(panel, 'yaxes'))[0]), 'format') ??
    text(panel, 'format')
  );
}

function thresholdsOf(fieldConfig: YAMLMap | undefined): number[] {
  const steps = items(field(asMap(field(asMap(field(fieldConfig, 'defaults')), 'thresholds')), 'steps'));
  return steps
    .slice(1)
    .map((step) => Number(text(asMap(step), 'value')))
    .filter(Number.isFinite);
}

/** A query target (`expr`, `legendFormat`, `interval`, `refId`) into the model, remembering where its expression is. */
function loadQuery(
  document: PositionedDocument,
  target: YAMLMap | undefined,
  fallback: { refId?: string; datasource?: unknown; at: Node },
  origins: Map<QueryModel, ExpressionOrigin>,
): QueryModel[] {
  const expr = text(target, 'expr');
  if (expr === undefined) return [];
  const legendFormat = text(target, 'legendFormat');
  const interval = text(target, 'interval');
  const datasource = plain(field(target, 'datasource')) ?? fallback.datasource;
  const refId = fallback.refId ?? text(target, 'refId') ?? '';
  const query: QueryModel = {
    refId,
    expr,
    source: document.locate(fallback.at),
    ...(legendFormat !== undefined && { legendFormat }),
    ...(interval !== undefined && { interval }),
    ...(datasource !== undefined && { datasource }),
  };
  origins.set(query, document.origin(field(target, 'expr')));
  return [query];
}

function loadPanel(
  document: PositionedDocument,
  panel: YAMLMap,
  origins: Map<QueryModel, ExpressionOrigin>,
): PanelModel {
  const fieldConfig = asMap(field(panel, 'fieldConfig'));
  const unit = unitOf(panel, fieldConfig);
  const description = text(panel, 'description');
  const datasource = plain(field(panel, 'datasource'));
  const queries = items(field(panel, 'targets')).flatMap((node) =>
    loadQuery(document, asMap(node), { at: node }, origins),
  );
  return {
    id: Number(text(panel, 'id') ?? Number.NaN),
    title: text(panel, 'title') ?? '',
    type: text(panel, 'type') ?? '',
    queries,
    thresholds: thresholdsOf(fieldConfig),
    source: document.locate(panel),
    ...(unit !== undefined && { unit }),
    ...(description !== undefined && { description }),
    ...(datasource !== undefined && { datasource }),
  };
}

/** v2 variable kinds and the classic `type` the checks know them by. */
export const V2_VARIABLE_TYPES: Readonly<Record<string, string>> = {
  QueryVariable: 'query',
  DatasourceVariable: 'datasource',
  CustomVariable: 'custom',
  ConstantVariable: 'constant',
  IntervalVariable: 'interval',
  TextVariable: 'textbox',
  AdhocVariable: 'adhoc',
  GroupByVariable: 'groupby',
};

/**
 * A `dashboard.grafana.app` v2 dashboard spec. A query's datasource type is its `DataQuery` group
 * (v2beta1, v2) or its query kind (v2alpha1); a datasource variable's plugin is its `pluginId`.
 */
export function loadV2Dashboard(
  document: PositionedDocument,
  spec: YAMLMap,
  meta: { uid?: string; folder?: string },
): LoadedDashboard {
  const origins = new Map<QueryModel, ExpressionOrigin>();
  const variables: VariableModel[] = items(field(spec, 'variables')).flatMap((node) => {
    const variable = asMap(node);
    const variableSpec = asMap(field(variable, 'spec'));
    const name = text(variableSpec, 'name');
    if (!name) return [];
    const kind = text(variable, 'kind') ?? '';
    const queryKind = asMap(field(variableSpec, 'query'));
    const query =
      kind === 'DatasourceVariable'
        ? text(variableSpec, 'pluginId')
        : (text(asMap(field(queryKind, 'spec')), 'query') ?? text(variableSpec, 'query'));
    return [{ name, type: V2_VARIABLE_TYPES[kind] ?? kind, ...(query !== undefined && { query }) }];
  });
  const panels: PanelModel[] = [];
  for (const pair of asMap(field(spec, 'elements'))?.items ?? []) {
    const element = asMap(pair.value);
    if (text(element, 'kind') !== 'Panel') continue;
    const panel = asMap(field(element, 'spec'));
    const viz = asMap(field(panel, 'vizConfig'));
    const vizSpec = asMap(field(viz, 'spec'));
    const fieldConfig = asMap(field(vizSpec, 'fieldConfig'));
    const queries = items(field(asMap(field(asMap(field(panel, 'data')), 'spec')), 'queries')).flatMap(
      (node) => {
        const querySpec = asMap(field(asMap(node), 'spec'));
        const dataQuery = asMap(field(querySpec, 'query'));
        const type = text(dataQuery, 'group') ?? text(dataQuery, 'kind');
        const named = plain(field(dataQuery, 'datasource')) as { name?: unknown } | undefined;
        const datasource = plain(field(querySpec, 'datasource')) ?? {
          ...(type !== undefined && type !== 'DataQuery' && { type }),
          ...(typeof named?.name === 'string' && { uid: named.name }),
        };
        return loadQuery(
          document,
          asMap(field(dataQuery, 'spec')),
          {
            at: node,
            datasource,
            ...(text(querySpec, 'refId') !== undefined && { refId: text(querySpec, 'refId') }),
          },
          origins,
        );
      },
    );
    const unit = unitOf(vizSpec ?? panel!, fieldConfig);
    const description = text(panel, 'description');
    panels.push({
      id: Number(text(panel, 'id') ?? Number.NaN),
      title: text(panel, 'title') ?? '',
      type: text(viz, 'group') ?? text(viz, 'kind') ?? '',
      queries,
      thresholds: thresholdsOf(fieldConfig),
      source: document.locate(element),
      ...(unit !== undefined && { unit }),
      ...(description !== undefined && { description }),
    });
  }
  return { origins, dashboard: dashboardOf(document, spec, meta.uid, meta.folder, variables, panels) };
}
