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
  /** The Prometheus (or Mimir/Cortex query frontend) the dashboards query: the default datasource. */
  readonly prometheusUrl: string;
  /** Provisioned as a datasource when given; Prometheus then links its alerts there. */
  readonly alertmanagerUrl?: string;
  /** Provisioned when given; Prometheus exemplars and Loki trace ids then open the trace there. */
  readonly jaegerUrl?: string;
  /** Provisioned when given; Jaeger spans then link to their logs there. */
  readonly lokiUrl?: string;
  /** Where `dist/grafana/dashboards` is mounted in the Grafana container. */
  readonly dashboardsPath: string;
  /** `dashboard.grafana.app` resource versions to write under grafana/resources/ (none unless asked for). */
  readonly resources: readonly ResourceVersion[];
}

export interface GrafanaStack extends Definition, GrafanaStackSpec {}

/** What a build without `grafanaStack()` writes: dashboards and their provider, no datasources (no URLs known). */
export const STACK_DEFAULTS = {
  dashboardsPath: '/var/lib/grafana/dashboards/o11y',
  resources: [],
} as const satisfies Partial<GrafanaStackSpec>;

type StackInput = Pick<GrafanaStackSpec, 'prometheusUrl'> & Partial<GrafanaStackSpec>;

/**
 * The Grafana side of the build: backend URLs for the provisioned datasources and optional resource
 * outputs. URLs only: credentials never belong here (Grafana reads them from its own environment).
 */
export function grafanaStack(spec: StackInput): GrafanaStack {
  const source: SourceLocation = captureSource();
  const merged: GrafanaStackSpec = { ...STACK_DEFAULTS, ...spec };
  if (typeof merged.prometheusUrl !== 'string') {
    throw new O11yError('grafanaStack: prometheusUrl is missing', {
      id: 'dashboards/stack-url',
      source,
      hint: "give the URL Grafana reaches Prometheus at, e.g. grafanaStack({ prometheusUrl: 'http://prometheus.example:9090' })",
    });
  }
  for (const key of ['prometheusUrl', 'alertmanagerUrl', 'jaegerUrl', 'lokiUrl'] as const) {
    if (merged[key] === undefined) continue;
    let url: URL;
    try {
      url = new URL(merged[key]!);
    } catch {
      throw new O11yError(`grafanaStack: ${key} "${merged[key]}" is not a URL`, {
        id: 'dashboards/stack-url',
        source,
        hint: 'write an absolute URL with its scheme, e.g. http://host:port',
      });
    }
    if (url.username || url.password) {
      throw new O11yError(`grafanaStack: ${key} carries credentials`, {
        id: 'dashboards/stack-url',
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
