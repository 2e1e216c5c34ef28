import { constant, fires, type InputSeries, linear, ruleTests, series, silent, testCase } from '@o11y/rules';
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
} from '../../catalog/index.ts';
import {
  blackboxAlerts,
  nodeAlerts,
  nodeFilesystemFillingUp,
  nodeHighCpuUsage,
  nodeHighMemoryUsage,
  postgresAlerts,
  postgresDown,
  postgresReplicationLag,
  postgresTooManyConnections,
  probeFailing,
  redisAlerts,
  redisDown,
  redisMemoryHigh,
} from '../infrastructure.ts';
import {
  DISK_FULL_WITHIN_HOURS,
  NODE_CPU_USAGE,
  NODE_MEMORY_USAGE,
  POSTGRES_CONNECTIONS_USAGE,
  POSTGRES_REPLICATION_LAG_SECONDS,
  REDIS_MEMORY_USAGE,
} from '../thresholds.ts';

const MINUTES = 60;
const GiB = 1024 ** 3;
const node = { job: 'node', instance: 'node-1:9100' } as const;
const postgres = { job: 'postgres', instance: 'postgres-exporter-1:9187' } as const;
const redis = { job: 'redis', instance: 'redis-exporter-1:9121' } as const;
const probe = { job: 'blackbox', instance: 'https://shop.example.com/' } as const;
const root = { ...node, device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' } as const;

type Fault =
  | 'NodeFilesystemFillingUp'
  | 'NodeHighCpuUsage'
  | 'NodeHighMemoryUsage'
  | 'ProbeFailing'
  | 'PostgresDown'
  | 'PostgresTooManyConnections'
  | 'PostgresReplicationLag'
  | 'RedisDown'
  | 'RedisMemoryHigh';

/** The exporters of one host, database, cache and probe, healthy unless a fault is named. */
function estate(fault?: Fault): InputSeries[] {
  const is = (name: Fault) => fault === name;
  // Filling up: 100 GiB free, losing what would empty it in half the warning horizon.
  const fillPerMinute = is('NodeFilesystemFillingUp') ? (100 * GiB) / ((DISK_FULL_WITHIN_HOURS / 2) * 60) : 0;
  const idleShare = is('NodeHighCpuUsage') ? (1 - NODE_CPU_USAGE) / 2 : 0.6;
  const maxConnections = 100;
  const connections = is('PostgresTooManyConnections')
    ? maxConnections * ((1 + POSTGRES_CONNECTIONS_USAGE) / 2)
    : 20;
  return [
    series(nodeFilesystemAvailBytes, root, linear(100 * GiB, -fillPerMinute, MINUTES)),
    series(nodeCpuSecondsTotal, { ...node, cpu: '0', mode: 'idle' }, linear(0, 60 * idleShare, MINUTES)),
    series(
      nodeCpuSecondsTotal,
      { ...node, cpu: '0', mode: 'user' },
      linear(0, 60 * (1 - idleShare), MINUTES),
    ),
    series(nodeMemoryMemTotalBytes, node, constant(16 * GiB, MINUTES)),
    series(
      nodeMemoryMemAvailableBytes,
      node,
      constant(is('NodeHighMemoryUsage') ? 16 * GiB * ((1 - NODE_MEMORY_USAGE) / 2) : 8 * GiB, MINUTES),
    ),
    series(probeSuccess, probe, constant(is('ProbeFailing') ? 0 : 1, MINUTES)),
    series(pgUp, postgres, constant(is('PostgresDown') ? 0 : 1, MINUTES)),
    series(pgSettingsMaxConnections, postgres, constant(maxConnections, MINUTES)),
    series(
      pgStatActivityCount,
      { ...postgres, datname: 'orders', state: 'active' },
      constant(connections, MINUTES),
    ),
    series(
      pgReplicationLagSeconds,
      postgres,
      constant(is('PostgresReplicationLag') ? POSTGRES_REPLICATION_LAG_SECONDS * 4 : 1, MINUTES),
    ),
    series(pgReplicationIsReplica, postgres, constant(1, MINUTES)),
    series(redisUp, redis, constant(is('RedisDown') ? 0 : 1, MINUTES)),
    series(redisMemoryMaxBytes, redis, constant(4 * GiB, MINUTES)),
    series(
      redisMemoryUsedBytes,
      redis,
      constant(is('RedisMemoryHigh') ? 4 * GiB * ((1 + REDIS_MEMORY_USAGE) / 2) : GiB, MINUTES),
    ),
  ];
}

const all = [
  nodeFilesystemFillingUp,
  nodeHighCpuUsage,
  nodeHighMemoryUsage,
  probeFailing,
  postgresDown,
  postgresTooManyConnections,
  postgresReplicationLag,
  redisDown,
  redisMemoryHigh,
];

/** Each fault, the alert it must fire, when, and the labels its expression keeps. */
const faults = [
  { alert: nodeFilesystemFillingUp, at: '45m', labels: root },
  { alert: nodeHighCpuUsage, at: '25m', labels: { instance: node.instance } },
  { alert: nodeHighMemoryUsage, at: '20m', labels: node },
  { alert: probeFailing, at: '5m', labels: probe },
  { alert: postgresDown, at: '3m', labels: postgres },
  { alert: postgresTooManyConnections, at: '15m', labels: { instance: postgres.instance } },
  { alert: postgresReplicationLag, at: '10m', labels: postgres },
  { alert: redisDown, at: '3m', labels: redis },
  { alert: redisMemoryHigh, at: '15m', labels: redis },
] as const;

export const infrastructureTests = ruleTests('infrastructure', {
  rules: [nodeAlerts, blackboxAlerts, postgresAlerts, redisAlerts],
  tests: [
    testCase('infrastructure: a healthy estate fires nothing', {
      interval: '1m',
      input: estate(),
      alerts: all.map((a) => silent(a, '60m')),
    }),
    ...faults.map(({ alert, at, labels }) =>
      testCase(`infrastructure: ${alert.name} fires`, {
        interval: '1m',
        input: estate(alert.name as Fault),
        alerts: [silent(alert, '30s'), fires(alert, at, [{ labels }])],
      }),
    ),
  ],
});
