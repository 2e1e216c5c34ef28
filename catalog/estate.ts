import type { CatalogueEntry } from '@o11y/catalog';
import type { Behaviour, Estate } from '@o11y/sample-service';
import {
  activeUsers,
  blackboxJob,
  catalog,
  dbPoolConnections,
  dbPoolMaxConnections,
  dbPoolWaitingRequests,
  httpConventions,
  nodeExporterJob,
  nodeFilesystemAvailBytes,
  nodeFilesystemFreeBytes,
  nodeFilesystemReadonly,
  nodejsGcDurationSeconds,
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
  probeDnsLookupTimeSeconds,
  probeDurationSeconds,
  probeHttpDurationSeconds,
  probeHttpStatusCode,
  probeSuccess,
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
  revenueTotal,
  services,
  websocketConnections,
} from './index.ts';

const GIB = 1024 ** 3;
const DAY = 86_400;

const usersOf = (datastore: 'postgres' | 'redis') =>
  services.filter((s) => s.datastores.includes(datastore)).map((s) => s.name);

/**
 * The estate the sample service poses as in the end-to-end stack (`npm run e2e`): every service of the
 * list, the node, PostgreSQL and Redis exporters, and the blackbox exporter probing each service and
 * two sites outside the estate (the public web site and the payment provider).
 */
export const estate: Estate = {
  catalog,
  services,
  http: httpConventions,
  gcDuration: nodejsGcDurationSeconds,
  exporters: [
    { job: nodeExporterJob.name, instances: nodeExporterJob.instances, services: [] },
    {
      job: postgresExporterJob.name,
      instances: postgresExporterJob.instances,
      services: usersOf('postgres'),
    },
    { job: redisExporterJob.name, instances: redisExporterJob.instances, services: usersOf('redis') },
  ],
  probeJob: blackboxJob,
  probe: {
    success: probeSuccess,
    duration: probeDurationSeconds,
    dnsLookup: probeDnsLookupTimeSeconds,
    httpPhases: probeHttpDurationSeconds,
    httpStatusCode: probeHttpStatusCode,
  },
  externalSites: ['www', 'payment-provider'],
  /**
   * Levels that keep related metrics consistent and the estate healthy at rest: available memory and
   * disk below their totals (same base level), pools and connections well under their limits, caches
   * mostly hitting, no errors, deadlocks or evictions; active users and revenue at a shop's scale.
   */
  behaviours(startedAt) {
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
      [activeUsers, { level: 250 }],
      [revenueTotal, { level: 150 }],
    ];
    return new Map(overrides.map(([entry, behaviour]) => [entry.declaration, behaviour]));
  },
};
