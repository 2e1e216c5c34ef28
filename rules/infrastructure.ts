import { avg, nre, predictLinear, rate, sum } from '@o11y/catalog';
import { alert, ruleGroup } from '@o11y/rules';
import {
  nodeCpuSecondsTotal,
  nodeFilesystemAvailBytes,
  nodeMemoryMemAvailableBytes,
  nodeMemoryMemTotalBytes,
  pgReplicationIsReplica,
  pgReplicationLagSeconds,
  pgSettingsMaxConnections,
  pgStatActivityCount,
  pgUp,
  probeSuccess,
  redisMemoryMaxBytes,
  redisMemoryUsedBytes,
  redisUp,
} from '../catalog/index.ts';
import {
  DISK_FULL_WITHIN_HOURS,
  NODE_CPU_USAGE,
  NODE_MEMORY_USAGE,
  POSTGRES_CONNECTIONS_USAGE,
  POSTGRES_REPLICATION_LAG_SECONDS,
  REDIS_MEMORY_USAGE,
  RUNBOOKS,
} from './thresholds.ts';

/** Exporter alerts belong to the infrastructure team. */
const team = 'infrastructure';
const runbookUrl = (name: string) => `${RUNBOOKS}/${name}`;
/** 1 − a usage threshold, as the decimal it stands for (1 − 0.9 is 0.09999999999999998 in binary). */
const spare = (usage: number) => Number((1 - usage).toPrecision(12));

export const nodeFilesystemFillingUp = alert('NodeFilesystemFillingUp', {
  team,
  expr: predictLinear(
    nodeFilesystemAvailBytes.select({ fstype: nre('tmpfs|overlay') }).range('6h'),
    DISK_FULL_WITHIN_HOURS * 3600,
  ).lt(0),
  for: '30m',
  severity: 'warning',
  summary: `A filesystem will be full within ${DISK_FULL_WITHIN_HOURS} hours`,
  description: `At the rate of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of space within ${DISK_FULL_WITHIN_HOURS} hours.`,
  runbookUrl: runbookUrl('NodeFilesystemFillingUp'),
});

export const nodeHighCpuUsage = alert('NodeHighCpuUsage', {
  team,
  expr: avg(rate(nodeCpuSecondsTotal.select({ mode: 'idle' }).range('5m')))
    .by('instance')
    .lt(spare(NODE_CPU_USAGE)),
  for: '15m',
  severity: 'warning',
  summary: `A host's CPUs are more than ${NODE_CPU_USAGE * 100}% busy`,
  description: `{{ $labels.instance }} has had its CPUs more than ${NODE_CPU_USAGE * 100}% busy for 15 minutes.`,
  runbookUrl: runbookUrl('NodeHighCpuUsage'),
});

export const nodeHighMemoryUsage = alert('NodeHighMemoryUsage', {
  team,
  expr: nodeMemoryMemAvailableBytes.div(nodeMemoryMemTotalBytes).lt(spare(NODE_MEMORY_USAGE)),
  for: '15m',
  severity: 'warning',
  summary: `A host has less than ${spare(NODE_MEMORY_USAGE) * 100}% of its memory available`,
  description: `{{ $labels.instance }} has had more than ${NODE_MEMORY_USAGE * 100}% of its memory in use for 15 minutes; the OOM killer is near.`,
  runbookUrl: runbookUrl('NodeHighMemoryUsage'),
});

export const probeFailing = alert('ProbeFailing', {
  team,
  expr: probeSuccess.eq(0),
  for: '3m',
  severity: 'critical',
  summary: 'A blackbox probe fails',
  description:
    'The blackbox probe of {{ $labels.instance }} has failed for 3 minutes: users cannot reach it.',
  runbookUrl: runbookUrl('ProbeFailing'),
});

export const postgresDown = alert('PostgresDown', {
  team,
  expr: pgUp.eq(0),
  for: '1m',
  severity: 'critical',
  summary: 'PostgreSQL is down',
  description: 'The postgres exporter on {{ $labels.instance }} cannot connect to its PostgreSQL server.',
  runbookUrl: runbookUrl('PostgresDown'),
});

export const postgresTooManyConnections = alert('PostgresTooManyConnections', {
  team,
  expr: sum(pgStatActivityCount)
    .by('instance')
    .div(sum(pgSettingsMaxConnections).by('instance'))
    .gt(POSTGRES_CONNECTIONS_USAGE),
  for: '10m',
  severity: 'warning',
  summary: `PostgreSQL uses more than ${POSTGRES_CONNECTIONS_USAGE * 100}% of max_connections`,
  description: `{{ $labels.instance }} has had more than ${POSTGRES_CONNECTIONS_USAGE * 100}% of max_connections in use for 10 minutes; new connections will be refused.`,
  runbookUrl: runbookUrl('PostgresTooManyConnections'),
});

export const postgresReplicationLag = alert('PostgresReplicationLag', {
  team,
  expr: pgReplicationLagSeconds.gt(POSTGRES_REPLICATION_LAG_SECONDS).and(pgReplicationIsReplica.eq(1)),
  for: '5m',
  severity: 'warning',
  summary: `A PostgreSQL replica lags more than ${POSTGRES_REPLICATION_LAG_SECONDS} seconds`,
  description: `The replica {{ $labels.instance }} has lagged its primary by more than ${POSTGRES_REPLICATION_LAG_SECONDS} seconds for 5 minutes; reads from it are stale.`,
  runbookUrl: runbookUrl('PostgresReplicationLag'),
});

export const redisDown = alert('RedisDown', {
  team,
  expr: redisUp.eq(0),
  for: '1m',
  severity: 'critical',
  summary: 'Redis is down',
  description: 'The redis exporter on {{ $labels.instance }} cannot reach its Redis server.',
  runbookUrl: runbookUrl('RedisDown'),
});

export const redisMemoryHigh = alert('RedisMemoryHigh', {
  team,
  // Without maxmemory (0) Redis has no limit to approach.
  expr: redisMemoryUsedBytes.div(redisMemoryMaxBytes.gt(0)).gt(REDIS_MEMORY_USAGE),
  for: '10m',
  severity: 'warning',
  summary: `Redis uses more than ${REDIS_MEMORY_USAGE * 100}% of maxmemory`,
  description: `{{ $labels.instance }} has used more than ${REDIS_MEMORY_USAGE * 100}% of maxmemory for 10 minutes; keys will be evicted.`,
  runbookUrl: runbookUrl('RedisMemoryHigh'),
});

export const nodeAlerts = ruleGroup('node-alerts', {
  file: 'infrastructure',
  rules: [nodeFilesystemFillingUp, nodeHighCpuUsage, nodeHighMemoryUsage],
});
export const blackboxAlerts = ruleGroup('blackbox-alerts', { file: 'infrastructure', rules: [probeFailing] });
export const postgresAlerts = ruleGroup('postgres-alerts', {
  file: 'infrastructure',
  rules: [postgresDown, postgresTooManyConnections, postgresReplicationLag],
});
export const redisAlerts = ruleGroup('redis-alerts', {
  file: 'infrastructure',
  rules: [redisDown, redisMemoryHigh],
});
