import type { CatalogueEntry, MetricDeclaration } from '@o11y/catalog';
import {
  blackboxJob,
  catalog,
  dbPoolConnections,
  dbPoolMaxConnections,
  dbPoolWaitingRequests,
  services,
  websocketConnections,
} from '../../../catalog/index.ts';
import type { Behaviour } from './simulated.ts';

export { catalog, services };

/**
 * Levels that keep the services' own gauges healthy at rest: pools and connections well under their
 * limits. Everything else moves by its unit's default.
 */
export function behaviourOverrides(): ReadonlyMap<MetricDeclaration, Behaviour> {
  const overrides: Array<[CatalogueEntry, Behaviour]> = [
    [dbPoolConnections, { level: 4 }],
    [dbPoolMaxConnections, { level: 20 }],
    [dbPoolWaitingRequests, { level: 0 }],
    [websocketConnections, { level: 120 }],
  ];
  return new Map(overrides.map(([entry, behaviour]) => [entry.declaration, behaviour]));
}

/** The metrics a target of `job` exposes itself (Prometheus adds `up` and the scrape_* series). */
export function metricsOfJob(job: string): MetricDeclaration[] {
  return catalog.metrics.filter(
    (m) => m.type !== 'recorded' && !m.scrapeGenerated && m.jobs.some((j) => j.name === job),
  );
}

/** The blackbox job (a real blackbox_exporter): it probes each service's health endpoint and the external sites. */
export const probeJob = blackboxJob;

/** Sites outside the estate the blackbox exporter probes: the public web site and the payment provider. */
export const externalSites = ['www', 'payment-provider'] as const;
