import type { CatalogueEntry, MetricDeclaration, Service } from '@o11y/catalog';
import {
  blackboxJob,
  catalog,
  dbPoolConnections,
  dbPoolMaxConnections,
  dbPoolWaitingRequests,
  nodeExporterJob,
  nodeFilesystemAvailBytes,
  nodeFilesystemFreeBytes,
  nodeFilesystemReadonly,
  nodeMemoryMemAvailableBytes,
  nodeMemoryMemFreeBytes,
  nodeMemorySwapFreeBytes,
  nodeNetworkReceiveErrsTotal,
  nodeNetworkTransmitErrsTotal,
  pgLocksCount,
  pgReplicationIsReplica,
  pgReplicationLagSeconds,
  pgSettingsMaxConnections,
  pgStatActivityCount,
  pgStatActivityMaxTxDuration,
  pgStatDatabaseBlksHit,
  pgStatDatabaseBlksRead,
  pgStatDatabaseDeadlocks,
  pgStatDatabaseNumbackends,
  pgStatDatabaseXactCommit,
  pgStatDatabaseXactRollback,
  postgresExporterJob,
  redisBlockedClients,
  redisCommandsDurationSecondsTotal,
  redisConnectedClients,
  redisConnectedSlaves,
  redisEvictedKeysTotal,
  redisExpiredKeysTotal,
  redisExporterJob,
  redisKeyspaceHitsTotal,
  redisKeyspaceMissesTotal,
  redisMemFragmentationRatio,
  redisMemoryUsedBytes,
  redisRejectedConnectionsTotal,
  redisUptimeInSeconds,
  services,
  websocketConnections,
} from '../../../catalog/index.ts';
import type { Behaviour } from './simulated.ts';

export { catalog, services };

const GIB = 1024 ** 3;
const DAY = 86_400;

/**
 * Levels that keep related metrics consistent and the estate healthy at rest: available memory and
 * disk below their totals (same base level), pools and connections well under their limits, caches
 * mostly hitting, no errors, deadlocks or evictions. Everything else moves by its unit's default.
 */
export function behaviourOverrides(startedAt: number): ReadonlyMap<MetricDeclaration, Behaviour> {
  const uptime = () => ({ level: 0, value: (now: number) => (now - startedAt) / 1000 + 3 * DAY });
  const overrides: Array<[CatalogueEntry, Behaviour]> = [
    [nodeMemoryMemAvailableBytes, { level: 0.55 * 8 * GIB }],
    [nodeMemoryMemFreeBytes, { level: 0.2 * 8 * GIB }],
    [nodeMemorySwapFreeBytes, { level: 0.9 * 8 * GIB }],
    [nodeFilesystemAvailBytes, { level: 0.55 * 8 * GIB }],
    [nodeFilesystemFreeBytes, { level: 0.6 * 8 * GIB }],
    [nodeFilesystemReadonly, { level: 0 }],
    [nodeNetworkReceiveErrsTotal, { level: 0 }],
    [nodeNetworkTransmitErrsTotal, { level: 0 }],
    [pgSettingsMaxConnections, { level: 200 }],
    [pgStatActivityCount, { level: 3 }],
    [pgStatActivityMaxTxDuration, { level: 0.2 }],
    [pgStatDatabaseNumbackends, { level: 12 }],
    [pgStatDatabaseXactCommit, { level: 60 }],
    [pgStatDatabaseXactRollback, { level: 0.3 }],
    [pgStatDatabaseBlksRead, { level: 20 }],
    [pgStatDatabaseBlksHit, { level: 2000 }],
    [pgStatDatabaseDeadlocks, { level: 0 }],
    [pgLocksCount, { level: 2 }],
    [pgReplicationLagSeconds, { level: 0.1 }],
    [pgReplicationIsReplica, { level: 0 }],
    [redisMemoryUsedBytes, { level: 0.3 * 8 * GIB }],
    [redisMemFragmentationRatio, { level: 1.1 }],
    [redisUptimeInSeconds, uptime()],
    [redisConnectedClients, { level: 25 }],
    [redisBlockedClients, { level: 0 }],
    [redisConnectedSlaves, { level: 1 }],
    [redisKeyspaceHitsTotal, { level: 400 }],
    [redisKeyspaceMissesTotal, { level: 20 }],
    [redisEvictedKeysTotal, { level: 0 }],
    [redisExpiredKeysTotal, { level: 2 }],
    [redisRejectedConnectionsTotal, { level: 0 }],
    [redisCommandsDurationSecondsTotal, { level: 0.01 }],
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

/** A synthetic exporter: its job and, for datastores, the services keeping data in it. */
export interface ExporterPlan {
  readonly job: string;
  readonly instances: number;
  readonly services: readonly string[];
}

const usersOf = (datastore: Service['datastores'][number]) =>
  services.filter((s) => s.datastores.includes(datastore)).map((s) => s.name);

/** The node, PostgreSQL and Redis exporters of the estate, one target per catalogue instance. */
export const exporterPlans: readonly ExporterPlan[] = [
  { job: nodeExporterJob.name, instances: nodeExporterJob.instances, services: [] },
  { job: postgresExporterJob.name, instances: postgresExporterJob.instances, services: usersOf('postgres') },
  { job: redisExporterJob.name, instances: redisExporterJob.instances, services: usersOf('redis') },
];

/** The blackbox exporter's job; it probes every service's health endpoint and the two external sites. */
export const probeJob = blackboxJob;

/** Sites outside the estate the blackbox exporter probes: the public web site and the payment provider. */
export const externalSites = ['www', 'payment-provider'] as const;
