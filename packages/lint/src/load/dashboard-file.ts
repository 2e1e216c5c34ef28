import type { DashboardModel, Diagnostic, PanelModel, QueryModel, VariableModel } from '@o11y/core';
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
  readonly dashboard?: DashboardModel;
  readonly origins: Map<QueryModel, ExpressionOrigin>;
  readonly problems: Diagnostic[];
}

/**
 * A Grafana dashboard JSON file (the dashboard itself, or an API export wrapping it in `dashboard`),
 * read into the model with the file:line of every panel and query. Collapsed rows' panels are included.
 */
export function loadDashboardFile(document: PositionedDocument): LoadedDashboard {
  const origins = new Map<QueryModel, ExpressionOrigin>();
  const top = asMap(document.root);
  const root = asMap(field(top, 'dashboard')) ?? top;
  if (!root || !field(root, 'panels')) {
    const problem: Diagnostic = {
      severity: 'error',
      message: 'not a Grafana dashboard: no "panels" list',
      source: document.locate(document.root),
      id: 'lint/file',
    };
    return { origins, problems: [problem] };
  }
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
  const panels = flattenRows(items(field(root, 'panels'))).map((node) => loadPanel(document, node, origins));
  const folder = text(top, 'folder') ?? text(asMap(field(top, 'meta')), 'folderTitle');
  return {
    origins,
    problems: [],
    dashboard: {
      uid: text(root, 'uid') ?? '',
      title: text(root, 'title') ?? '',
      variables,
      panels,
      json: plain(root),
      source: document.locate(root),
      ...(folder !== undefined && { folder }),
    },
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

function loadPanel(
  document: PositionedDocument,
  panel: YAMLMap,
  origins: Map<QueryModel, ExpressionOrigin>,
): PanelModel {
  const defaults = asMap(field(asMap(field(panel, 'fieldConfig')), 'defaults'));
  const unit = text(defaults, 'unit');
  const description = text(panel, 'description');
  const datasource = plain(field(panel, 'datasource'));
  const steps = items(field(asMap(field(defaults, 'thresholds')), 'steps'));
  const thresholds = steps
    .slice(1)
    .map((step) => Number(text(asMap(step), 'value')))
    .filter(Number.isFinite);
  const queries = items(field(panel, 'targets')).flatMap((node) => {
    const target = asMap(node);
    const expr = text(target, 'expr');
    if (expr === undefined) return [];
    const legendFormat = text(target, 'legendFormat');
    const targetDatasource = plain(field(target, 'datasource'));
    const query: QueryModel = {
      refId: text(target, 'refId') ?? '',
      expr,
      source: document.locate(target),
      ...(legendFormat !== undefined && { legendFormat }),
      ...(targetDatasource !== undefined && { datasource: targetDatasource }),
    };
    origins.set(query, document.origin(field(target, 'expr')));
    return [query];
  });
  return {
    id: Number(text(panel, 'id') ?? Number.NaN),
    title: text(panel, 'title') ?? '',
    type: text(panel, 'type') ?? '',
    queries,
    thresholds,
    source: document.locate(panel),
    ...(unit !== undefined && { unit }),
    ...(description !== undefined && { description }),
    ...(datasource !== undefined && { datasource }),
  };
}
