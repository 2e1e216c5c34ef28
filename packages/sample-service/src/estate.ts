import type { Catalog, CatalogueEntry, Job, MetricDeclaration, Service } from '@o11y/catalog';
import { formatSource } from '@o11y/core';
import type { Behaviour } from './simulated.ts';

/** How one instrumentation names its HTTP metrics: the request counter, the duration histogram, the labels. */
export interface HttpNaming {
  readonly requests: { readonly name: string; readonly declaration: MetricDeclaration };
  readonly duration: { readonly name: string; readonly declaration: MetricDeclaration };
  readonly labels: {
    readonly method: string;
    readonly route: string;
    readonly status: string;
    readonly service: string;
    readonly environment: string;
  };
}

/**
 * The estate the sample service poses as, which the organisation describes from its catalogue: its
 * services (each instrumented with prom-client or the OpenTelemetry SDK, by its `instrumentation`) in
 * every environment the catalogue's dimensions declare, what the (real) blackbox exporter probes, and
 * the levels that keep related metrics consistent.
 */
export interface Estate {
  readonly catalog: Catalog;
  readonly services: readonly Service[];
  /**
   * The catalogue's HTTP metrics of prom-client's middleware, and the histogram of OpenTelemetry's
   * semantic conventions (the SDK names its labels itself).
   */
  readonly http: { readonly 'prom-client': HttpNaming; readonly otel: Pick<HttpNaming, 'duration'> };
  /** prom-client's garbage-collection histogram, registered with the catalogue's buckets. */
  readonly gcDuration: CatalogueEntry;
  /** The blackbox job (a real blackbox_exporter): it probes every service's health endpoint and the external sites. */
  readonly probeJob: Job;
  /** Sites outside the estate the blackbox exporter probes. */
  readonly externalSites: readonly string[];
  /** Per-metric behaviours (levels, computed values); every other metric moves by its unit's default. */
  behaviours(startedAt: number): ReadonlyMap<MetricDeclaration, Behaviour>;
  /**
   * How many instances of a service run in an environment (see `environmentsOf`); default: its
   * `replicas` in each. An estate on a small machine may run fewer outside production.
   */
  replicas?(service: Service, environment: string): number;
}

/**
 * The environments the estate runs in: the values of the catalogue's deployment dimension on the label
 * that carries the environment of the HTTP metrics, in the order declared. The first is where the
 * blackbox exporter probes the services, as an organisation probes its production.
 */
export function environmentsOf(estate: Estate): readonly string[] {
  const label = estate.http['prom-client'].labels.environment;
  const dimensions = estate.catalog.dimensions;
  const values = dimensions?.enabled.find((d) => d.label === label)?.values;
  if (values) return values;
  throw new Error(
    `${dimensions ? `${formatSource(dimensions.source)}: ` : ''}the catalogue declares no enabled dimension with values on the "${label}" label: ` +
      `list the environments in defineDimensions() (e.g. { ${label}: { values: ['production'], source: 'target' } }), so the sample service knows which environments to pose as`,
  );
}

/** The instances of `service` the estate runs in `environment`. */
export function replicasIn(estate: Estate, service: Service, environment: string): number {
  const count = estate.replicas?.(service, environment) ?? service.replicas;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(
      `the estate runs ${count} instances of ${service.name} in ${environment}: estate.replicas() must return a positive integer`,
    );
  }
  return count;
}

/** The metrics a target of `job` exposes itself (Prometheus adds `up` and the scrape_* series). */
export function metricsOfJob(estate: Estate, job: string): MetricDeclaration[] {
  return estate.catalog.metrics.filter(
    (m) => m.type !== 'recorded' && !m.scrapeGenerated && m.jobs.some((j) => j.name === job),
  );
}
