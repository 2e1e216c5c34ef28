import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  avg,
  avgOverTime,
  type InstantVector,
  type LabelMap,
  max,
  minOverTime,
  rate,
  re,
  type Selector,
  sum,
  time,
} from '@o11y/catalog';
import { captureSource } from '@o11y/core';
import { Dashboard } from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import { stat, table, timeseries } from '../builder/panels.ts';
import { labelValues, ref } from '../builder/variables.ts';
import { type DashboardDimensions, dimensionScope } from './dimensions.ts';

type Counter = Selector<LabelMap, 'counter'>;
type Gauge = Selector<LabelMap, 'gauge'>;

/** What every exporter dashboard is given. */
export interface ExporterOptions {
  readonly job: string;
  readonly folder: Folder;
  /** The organisation's deployment dimensions: a variable for each its series carry, filtering every panel. */
  readonly dimensions: DashboardDimensions;
}

/**
 * An exporter dashboard: instances of one scrape job, picked with `$instance` among those of the chosen
 * deployment dimensions.
 */
function exporterDashboard(title: string, anyMetric: Selector<LabelMap>, options: ExporterOptions) {
  const { job } = options;
  const dimensions = dimensionScope(options.dimensions, anyMetric.select({ job }));
  const ofJob = <S extends Selector<LabelMap>>(metric: S): S =>
    dimensions.select(metric.select({ job }) as S);
  const instance = labelValues('instance', ofJob(anyMetric));
  const board = new Dashboard(title, captureSource())
    .folder(options.folder)
    .tags('infrastructure', job)
    .variables(...dimensions.variables, instance);
  const pick = <S extends Selector<LabelMap>>(metric: S): S =>
    ofJob(metric).select({ instance: re(ref(instance)) }) as S;
  return { board, pick };
}

/** `rate(x[$__rate_interval])` summed by instance. */
function ratePerInstance(metric: Counter): InstantVector {
  return sum(rate(metric.range('$__rate_interval'))).by('instance');
}

export interface NodeMetrics {
  readonly cpuSeconds: Counter;
  readonly memoryAvailable: Gauge;
  readonly memoryTotal: Gauge;
  readonly filesystemAvailable: Gauge;
  readonly filesystemSize: Gauge;
  readonly diskRead: Counter;
  readonly diskWritten: Counter;
  readonly diskIoTime: Counter;
  readonly networkReceive: Counter;
  readonly networkTransmit: Counter;
}

/** USE for hosts: utilisation and saturation of CPU, memory, disk and network per instance. */
export function nodeDashboard(
  options: ExporterOptions & {
    readonly metrics: NodeMetrics;
    readonly thresholds: { readonly cpuUtilisation: number; readonly memoryUtilisation: number };
  },
): Dashboard {
  const { metrics: m, thresholds } = options;
  const { board, pick } = exporterDashboard('Nodes · USE', m.memoryTotal, options);
  const idle = sum(rate(pick(m.cpuSeconds).select({ mode: 'idle' }).range('$__rate_interval'))).by(
    'instance',
  );
  const cpus = sum(rate(pick(m.cpuSeconds).range('$__rate_interval'))).by('instance');
  return board
    .description('Utilisation and saturation of every host: CPU, memory, disk and network (node exporter).')
    .row('CPU and memory', [
      timeseries('CPU utilisation')
        .description('Share of CPU time not idle, per host. Dashed: the high-CPU alert threshold.')
        .unit(units.PercentUnit)
        .query(cpus.minus(idle).div(cpus), '{{instance}}')
        .threshold(thresholds.cpuUtilisation),
      timeseries('Memory utilisation')
        .description('Share of memory not available to new processes, per host.')
        .unit(units.PercentUnit)
        .query(pick(m.memoryAvailable).div(pick(m.memoryTotal)).negate().plus(1), '{{instance}}')
        .threshold(thresholds.memoryUtilisation),
    ])
    .row('Disk', [
      timeseries('Filesystem utilisation')
        .description('Share of each filesystem in use, per host and mount point.')
        .unit(units.PercentUnit)
        .query(
          max(pick(m.filesystemAvailable).div(pick(m.filesystemSize)).negate().plus(1)).by(
            'instance',
            'mountpoint',
          ),
          '{{instance}} {{mountpoint}}',
        ),
      timeseries('Disk throughput')
        .description('Bytes read (positive) and written per second, per host.')
        .unit(units.BytesPerSecondSI)
        .query(ratePerInstance(pick(m.diskRead)), 'read {{instance}}')
        .query(ratePerInstance(pick(m.diskWritten)), 'written {{instance}}'),
      timeseries('Disk saturation')
        .description('Share of time the disks were busy with I/O, per host (1 = always busy).')
        .unit(units.PercentUnit)
        .query(max(rate(pick(m.diskIoTime).range('$__rate_interval'))).by('instance'), '{{instance}}'),
    ])
    .row('Network', [
      timeseries('Network throughput')
        .description('Bytes received and transmitted per second, per host.')
        .unit(units.BytesPerSecondSI)
        .query(ratePerInstance(pick(m.networkReceive)), 'received {{instance}}')
        .query(ratePerInstance(pick(m.networkTransmit)), 'transmitted {{instance}}'),
    ]);
}

export interface PostgresMetrics {
  readonly up: Gauge;
  readonly maxConnections: Gauge;
  readonly backends: Gauge;
  readonly commits: Counter;
  readonly rollbacks: Counter;
  readonly blocksRead: Counter;
  readonly blocksHit: Counter;
  readonly deadlocks: Counter;
  readonly replicationLag: Gauge;
  readonly databaseSize: Gauge;
}

/** PostgreSQL: availability, connections against the limit, throughput, cache hits, replication. */
export function postgresDashboard(
  options: ExporterOptions & {
    readonly metrics: PostgresMetrics;
    readonly thresholds: { readonly connectionUtilisation: number; readonly replicationLagSeconds: number };
  },
): Dashboard {
  const { metrics: m, thresholds } = options;
  const { board, pick } = exporterDashboard('PostgreSQL', m.up, options);
  const backends = sum(pick(m.backends)).by('instance');
  return board
    .description(
      'PostgreSQL servers (postgres exporter): up, connections, transactions, cache hit ratio, replication.',
    )
    .header([
      stat('Servers up')
        .description('PostgreSQL servers the exporter can reach.')
        .unit(units.Short)
        .query(sum(pick(m.up))),
      stat('Deadlocks')
        .description('Deadlocks per second across databases; any is worth a look.')
        .unit(units.Short)
        .query(sum(rate(pick(m.deadlocks).range('$__rate_interval')))),
    ])
    .row('Connections', [
      timeseries('Connection utilisation')
        .description('Backends in use as a share of max_connections. Dashed: the pool alert threshold.')
        .unit(units.PercentUnit)
        .query(backends.div(max(pick(m.maxConnections)).by('instance')), '{{instance}}')
        .threshold(thresholds.connectionUtilisation),
      timeseries('Transactions')
        .description('Commits and rollbacks per second, per server.')
        .unit(units.OpsPerSecond)
        .query(ratePerInstance(pick(m.commits)), 'commits {{instance}}')
        .query(ratePerInstance(pick(m.rollbacks)), 'rollbacks {{instance}}'),
    ])
    .row('Storage', [
      timeseries('Cache hit ratio')
        .description(
          'Share of block reads served from shared buffers; low means the working set no longer fits.',
        )
        .unit(units.PercentUnit)
        .query(
          ratePerInstance(pick(m.blocksHit)).div(
            ratePerInstance(pick(m.blocksHit)).plus(ratePerInstance(pick(m.blocksRead))),
          ),
          '{{instance}}',
        ),
      timeseries('Replication lag')
        .description('How far replicas are behind the primary.')
        .unit(units.Seconds)
        .query(max(pick(m.replicationLag)).by('instance'), '{{instance}}')
        .threshold(thresholds.replicationLagSeconds),
      timeseries('Database size')
        .description('Size of each database on disk.')
        .unit(units.BytesSI)
        .query(sum(pick(m.databaseSize)).by('instance', 'datname'), '{{instance}} {{datname}}'),
    ]);
}

export interface RedisMetrics {
  readonly up: Gauge;
  readonly connectedClients: Gauge;
  readonly memoryUsed: Gauge;
  readonly memoryMax: Gauge;
  readonly commands: Counter;
  readonly hits: Counter;
  readonly misses: Counter;
  readonly evicted: Counter;
}

/** Redis: availability, memory against maxmemory, commands, keyspace hit ratio, evictions. */
export function redisDashboard(
  options: ExporterOptions & {
    readonly metrics: RedisMetrics;
    readonly thresholds: { readonly memoryUtilisation: number };
  },
): Dashboard {
  const { metrics: m, thresholds } = options;
  const { board, pick } = exporterDashboard('Redis', m.up, options);
  const hits = ratePerInstance(pick(m.hits));
  return board
    .description('Redis instances (redis exporter): up, clients, memory, commands, keyspace hit ratio.')
    .header([
      stat('Instances up')
        .description('Redis instances the exporter can reach.')
        .unit(units.Short)
        .query(sum(pick(m.up))),
      stat('Connected clients')
        .description('Client connections across instances.')
        .unit(units.Short)
        .query(sum(pick(m.connectedClients))),
    ])
    .row('Load', [
      timeseries('Commands')
        .description('Commands processed per second, per instance.')
        .unit(units.OpsPerSecond)
        .query(ratePerInstance(pick(m.commands)), '{{instance}}'),
      timeseries('Keyspace hit ratio')
        .description(
          'Share of key lookups that found the key; a drop means the cache no longer holds the working set.',
        )
        .unit(units.PercentUnit)
        .query(hits.div(hits.plus(ratePerInstance(pick(m.misses)))), '{{instance}}'),
    ])
    .row('Memory', [
      timeseries('Memory utilisation')
        .description('Used memory as a share of maxmemory; evictions start at 1.')
        .unit(units.PercentUnit)
        .query(
          max(pick(m.memoryUsed))
            .by('instance')
            .div(max(pick(m.memoryMax)).by('instance')),
          '{{instance}}',
        )
        .threshold(thresholds.memoryUtilisation),
      timeseries('Evicted keys')
        .description('Keys evicted per second because of the memory limit.')
        .unit(units.OpsPerSecond)
        .query(ratePerInstance(pick(m.evicted)), '{{instance}}'),
    ]);
}

export interface BlackboxMetrics {
  readonly success: Gauge;
  readonly duration: Gauge;
  readonly certificateExpiry: Gauge;
}

/** Uptime as users see it: probe success, probe latency and certificate expiry per target. */
export function blackboxDashboard(
  options: ExporterOptions & {
    readonly metrics: BlackboxMetrics;
  },
): Dashboard {
  const { metrics: m } = options;
  const { board, pick } = exporterDashboard('Blackbox uptime', m.success, options);
  return board
    .description('Synthetic probes (blackbox exporter) of every public endpoint and service health check.')
    .header([
      stat('Targets down')
        .description('Probed targets failing right now.')
        .unit(units.Short)
        .query(sum(pick(m.success).eq(0)))
        .threshold(1),
    ])
    .row('Uptime', [
      table('Uptime over the range')
        .description('Share of successful probes per target over the selected time range.')
        .unit(units.PercentUnit)
        .query(avg(avgOverTime(pick(m.success).range('$__range'))).by('instance')),
      timeseries('Probe success')
        .description('1 when the last probe of a target succeeded, 0 when it failed.')
        .unit(units.Short)
        .query(minOverTime(pick(m.success).range('$__interval')), '{{instance}}'),
      timeseries('Probe duration')
        .description('How long each probe took, per target.')
        .unit(units.Seconds)
        .query(max(pick(m.duration)).by('instance'), '{{instance}}'),
      timeseries('Certificate expiry')
        .description('Days until the TLS certificate of each target expires.')
        .unit(units.Days)
        .query(daysUntil(pick(m.certificateExpiry)), '{{instance}}'),
    ]);
}

/** Days left before a Unix timestamp. */
function daysUntil(expiry: Gauge): InstantVector {
  return max(expiry).by('instance').minus(time()).div(86400);
}
