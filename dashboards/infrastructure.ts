import { blackboxDashboard, nodeDashboard, postgresDashboard, redisDashboard } from '@o11y/dashboards';
import { dimensions } from '../catalog/dimensions.ts';
import * as catalog from '../catalog/index.ts';
import {
  NODE_CPU_USAGE,
  NODE_MEMORY_USAGE,
  POSTGRES_CONNECTIONS_USAGE,
  POSTGRES_REPLICATION_LAG_SECONDS,
  REDIS_MEMORY_USAGE,
} from '../rules/thresholds.ts';
import { teamFolder } from './folders.ts';

const folder = teamFolder('infrastructure');

export const nodes = nodeDashboard({
  job: catalog.nodeExporterJob.name,
  folder,
  dimensions,
  metrics: {
    cpuSeconds: catalog.nodeCpuSecondsTotal,
    memoryAvailable: catalog.nodeMemoryMemAvailableBytes,
    memoryTotal: catalog.nodeMemoryMemTotalBytes,
    filesystemAvailable: catalog.nodeFilesystemAvailBytes,
    filesystemSize: catalog.nodeFilesystemSizeBytes,
    diskRead: catalog.nodeDiskReadBytesTotal,
    diskWritten: catalog.nodeDiskWrittenBytesTotal,
    diskIoTime: catalog.nodeDiskIoTimeSecondsTotal,
    networkReceive: catalog.nodeNetworkReceiveBytesTotal,
    networkTransmit: catalog.nodeNetworkTransmitBytesTotal,
  },
  thresholds: { cpuUtilisation: NODE_CPU_USAGE, memoryUtilisation: NODE_MEMORY_USAGE },
});

export const postgres = postgresDashboard({
  job: catalog.postgresExporterJob.name,
  folder,
  dimensions,
  metrics: {
    up: catalog.pgUp,
    maxConnections: catalog.pgSettingsMaxConnections,
    backends: catalog.pgStatDatabaseNumbackends,
    commits: catalog.pgStatDatabaseXactCommit,
    rollbacks: catalog.pgStatDatabaseXactRollback,
    blocksRead: catalog.pgStatDatabaseBlksRead,
    blocksHit: catalog.pgStatDatabaseBlksHit,
    deadlocks: catalog.pgStatDatabaseDeadlocks,
    replicationLag: catalog.pgReplicationLagSeconds,
    databaseSize: catalog.pgDatabaseSizeBytes,
  },
  thresholds: {
    connectionUtilisation: POSTGRES_CONNECTIONS_USAGE,
    replicationLagSeconds: POSTGRES_REPLICATION_LAG_SECONDS,
  },
});

export const redis = redisDashboard({
  job: catalog.redisExporterJob.name,
  folder,
  dimensions,
  metrics: {
    up: catalog.redisUp,
    connectedClients: catalog.redisConnectedClients,
    memoryUsed: catalog.redisMemoryUsedBytes,
    memoryMax: catalog.redisMemoryMaxBytes,
    commands: catalog.redisCommandsProcessedTotal,
    hits: catalog.redisKeyspaceHitsTotal,
    misses: catalog.redisKeyspaceMissesTotal,
    evicted: catalog.redisEvictedKeysTotal,
  },
  thresholds: { memoryUtilisation: REDIS_MEMORY_USAGE },
});

export const blackbox = blackboxDashboard({
  job: catalog.blackboxJob.name,
  folder,
  dimensions,
  metrics: {
    success: catalog.probeSuccess,
    duration: catalog.probeDurationSeconds,
    certificateExpiry: catalog.probeSslEarliestCertExpiry,
  },
});
