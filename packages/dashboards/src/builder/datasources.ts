import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DatasourceVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * The datasource kinds a dashboard reads. Panels never name a datasource uid: they point at a template
 * variable of the right plugin type, so one dashboard works against any Grafana's datasources.
 */
export const DATASOURCES = {
  prometheus: { variable: 'datasource', type: 'prometheus', label: 'Prometheus' },
  loki: { variable: 'loki', type: 'loki', label: 'Loki' },
} as const;

export type DatasourceKind = keyof typeof DATASOURCES;

export function datasourceRef(kind: DatasourceKind): DataSourceRef {
  const { type, variable } = DATASOURCES[kind];
  return { type, uid: `\${${variable}}` };
}

export function datasourceVariable(kind: DatasourceKind): DatasourceVariableBuilder {
  const { type, variable, label } = DATASOURCES[kind];
  return new DatasourceVariableBuilder(variable).label(label).type(type).regex('');
}

/** Grafana's own annotation store (deployment markers posted by CI): a built-in, not a configured datasource. */
export const GRAFANA_BUILT_IN: DataSourceRef = { type: 'grafana', uid: '-- Grafana --' };
