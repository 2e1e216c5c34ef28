import type { Catalog, CatalogueEntry, Job, MetricDeclaration, Service } from '@o11y/catalog';
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
 * services (each instrumented with prom-client or the OpenTelemetry SDK, by its `instrumentation`), what
 * the (real) blackbox exporter probes, and the levels that keep related metrics consistent.
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
}

/** The metrics a target of `job` exposes itself (Prometheus adds `up` and the scrape_* series). */
export function metricsOfJob(estate: Estate, job: string): MetricDeclaration[] {
  return estate.catalog.metrics.filter(
    (m) => m.type !== 'recorded' && !m.scrapeGenerated && m.jobs.some((j) => j.name === job),
  );
}
