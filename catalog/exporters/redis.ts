import { counter, gauge, label } from '@o11y/catalog';
import { redisExporterJob } from '../jobs.ts';

/** redis_exporter's core metrics from INFO, keyspace and command stats. */
const jobs = [redisExporterJob];
const cmd = label.cardinality(60);

export const redisUp = gauge('redis_up', {
  help: 'Information about the Redis instance',
  unit: 'boolean',
  jobs,
  labels: {},
});
export const redisUptimeInSeconds = gauge('redis_uptime_in_seconds', {
  help: 'uptime_in_seconds metric',
  unit: 'seconds',
  jobs,
  labels: {},
});
export const redisConnectedClients = gauge('redis_connected_clients', {
  help: 'connected_clients metric',
  unit: 'connections',
  jobs,
  labels: {},
});
export const redisBlockedClients = gauge('redis_blocked_clients', {
  help: 'blocked_clients metric',
  unit: 'connections',
  jobs,
  labels: {},
});
export const redisMemoryUsedBytes = gauge('redis_memory_used_bytes', {
  help: 'memory_used_bytes metric',
  unit: 'bytes',
  jobs,
  labels: {},
});
export const redisMemoryMaxBytes = gauge('redis_memory_max_bytes', {
  help: 'memory_max_bytes metric',
  unit: 'bytes',
  jobs,
  labels: {},
});
export const redisMemFragmentationRatio = gauge('redis_mem_fragmentation_ratio', {
  help: 'mem_fragmentation_ratio metric',
  unit: 'ratio',
  jobs,
  labels: {},
});
export const redisCommandsProcessedTotal = counter('redis_commands_processed_total', {
  help: 'commands_processed_total metric',
  unit: 'operations',
  jobs,
  labels: {},
});
export const redisKeyspaceHitsTotal = counter('redis_keyspace_hits_total', {
  help: 'keyspace_hits_total metric',
  unit: 'operations',
  jobs,
  labels: {},
});
export const redisKeyspaceMissesTotal = counter('redis_keyspace_misses_total', {
  help: 'keyspace_misses_total metric',
  unit: 'operations',
  jobs,
  labels: {},
});
export const redisEvictedKeysTotal = counter('redis_evicted_keys_total', {
  help: 'evicted_keys_total metric',
  unit: 'items',
  jobs,
  labels: {},
});
export const redisExpiredKeysTotal = counter('redis_expired_keys_total', {
  help: 'expired_keys_total metric',
  unit: 'items',
  jobs,
  labels: {},
});
export const redisRejectedConnectionsTotal = counter('redis_rejected_connections_total', {
  help: 'rejected_connections_total metric',
  unit: 'connections',
  jobs,
  labels: {},
});
export const redisConnectedSlaves = gauge('redis_connected_slaves', {
  help: 'connected_slaves metric',
  unit: 'count',
  jobs,
  labels: {},
});
export const redisDbKeys = gauge('redis_db_keys', {
  help: 'Total number of keys by DB',
  unit: 'items',
  jobs,
  labels: { db: label.cardinality(16) },
});
export const redisCommandsTotal = counter('redis_commands_total', {
  help: 'Total number of calls per command',
  unit: 'operations',
  jobs,
  labels: { cmd },
});
export const redisCommandsDurationSecondsTotal = counter('redis_commands_duration_seconds_total', {
  help: 'Total amount of time in seconds spent per command',
  unit: 'seconds',
  jobs,
  labels: { cmd },
});

/**
 * Info metrics of redis_exporter: declared because the job's label_limit follows from the catalogue,
 * and Prometheus refuses the whole scrape when one series carries more labels than that.
 */
const oneValue = label.cardinality(1);
export const redisInstanceInfo = gauge('redis_instance_info', {
  help: 'Information about the Redis instance',
  unit: 'info',
  jobs,
  labels: {
    maxmemory_policy: oneValue,
    os: oneValue,
    process_id: oneValue,
    redis_build_id: oneValue,
    redis_mode: label.values(['standalone', 'cluster', 'sentinel']),
    redis_version: oneValue,
    role: label.values(['master', 'slave']),
    run_id: oneValue,
    tcp_port: oneValue,
  },
});
export const redisExporterBuildInfo = gauge('redis_exporter_build_info', {
  help: 'redis exporter build_info',
  unit: 'info',
  jobs,
  labels: { build_date: oneValue, commit_sha: oneValue, golang_version: oneValue, version: oneValue },
});
