import type { CatalogueEntry } from '@o11y/catalog';
import type { Behaviour, Estate } from '@o11y/sample-service';
import {
  activeUsers,
  blackboxJob,
  catalog,
  dbPoolConnections,
  dbPoolMaxConnections,
  dbPoolWaitingRequests,
  type Environment,
  httpConventions,
  nodejsGcDurationSeconds,
  type OrgService,
  replicasIn,
  revenueTotal,
  services,
  websocketConnections,
} from './index.ts';

/**
 * The estate the sample service poses as in the end-to-end stack (`npm run e2e`): every service of the
 * list in each of our environments (the catalogue's dimension), and two sites outside the estate (the public web site and the payment provider) that the real
 * blackbox exporter probes beside each service. The node, PostgreSQL and Redis exporters are the real
 * programs the stack starts.
 */
export const estate: Estate = {
  catalog,
  services,
  http: httpConventions,
  gcDuration: nodejsGcDurationSeconds,
  probeJob: blackboxJob,
  externalSites: ['www', 'payment-provider'],
  /**
   * Levels that keep the services healthy at rest: pools and connections well under their limits;
   * active users and revenue at a shop's scale.
   */
  behaviours() {
    const overrides: Array<[CatalogueEntry, Behaviour]> = [
      [dbPoolConnections, { level: 4 }],
      [dbPoolMaxConnections, { level: 20 }],
      [dbPoolWaitingRequests, { level: 0 }],
      [websocketConnections, { level: 120 }],
      [activeUsers, { level: 250 }],
      [revenueTotal, { level: 150 }],
    ];
    return new Map(overrides.map(([entry, behaviour]) => [entry.declaration, behaviour]));
  },
  /** As the scrape config lists them; staging's single instances also keep the stack's targets few (it runs on 2 cores). */
  replicas: (service, environment) => replicasIn(service as OrgService, environment as Environment),
};
