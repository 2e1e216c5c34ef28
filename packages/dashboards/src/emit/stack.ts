import { captureSource, DEFINITION, type Definition, O11yError, type SourceLocation } from '@o11y/core';

export const STACK_KIND = 'grafana-stack';

/**
 * `dashboard.grafana.app` versions the emitter can write: v1 wraps the classic JSON the builders produce;
 * v2beta1 converts them to the v2 elements/layout model as the foundation SDK types it (README, "Resources").
 */
export const RESOURCE_VERSIONS = ['v1', 'v2beta1'] as const;
export type ResourceVersion = (typeof RESOURCE_VERSIONS)[number];

/** Where the Grafana that mounts dist/ finds its backends, and which extra outputs to write. */
export interface GrafanaStackSpec {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly jaegerUrl: string;
  readonly lokiUrl: string;
  /** Where `dist/grafana/dashboards` is mounted in the Grafana container. */
  readonly dashboardsPath: string;
  /** `dashboard.grafana.app` resource versions to write under grafana/resources/ (none unless asked for). */
  readonly resources: readonly ResourceVersion[];
}

export interface GrafanaStack extends Definition, GrafanaStackSpec {}

export const DEFAULT_STACK: GrafanaStackSpec = {
  prometheusUrl: 'http://prometheus:9090',
  alertmanagerUrl: 'http://alertmanager:9093',
  jaegerUrl: 'http://jaeger:16686',
  lokiUrl: 'http://loki:3100',
  dashboardsPath: '/var/lib/grafana/dashboards/o11y',
  resources: [],
};

/**
 * The Grafana side of the build: backend URLs for the provisioned datasources and optional resource
 * outputs. URLs only: credentials never belong here (Grafana reads them from its own environment).
 */
export function grafanaStack(spec: Partial<GrafanaStackSpec> = {}): GrafanaStack {
  const source: SourceLocation = captureSource();
  const merged = { ...DEFAULT_STACK, ...spec };
  for (const key of ['prometheusUrl', 'alertmanagerUrl', 'jaegerUrl', 'lokiUrl'] as const) {
    let url: URL;
    try {
      url = new URL(merged[key]);
    } catch {
      throw new O11yError(`grafanaStack: ${key} "${merged[key]}" is not a URL`, { source });
    }
    if (url.username || url.password) {
      throw new O11yError(`grafanaStack: ${key} carries credentials`, {
        source,
        hint: 'keep secrets out of the repository; configure them in Grafana (environment or *_FILE settings)',
      });
    }
  }
  for (const version of merged.resources as readonly string[]) {
    if ((RESOURCE_VERSIONS as readonly string[]).includes(version)) continue;
    throw new O11yError(`grafanaStack: cannot write dashboard.grafana.app/${version} resources`, {
      id: 'dashboards/resource-version',
      source,
      hint: `resources may list ${RESOURCE_VERSIONS.join(', ')} `,
    });
  }
  return Object.freeze({ [DEFINITION]: STACK_KIND, source, ...merged });
}
