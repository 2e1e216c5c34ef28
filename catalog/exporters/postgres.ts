import { counter, gauge, label } from '@o11y/catalog';
import { postgresExporterJob } from '../jobs.ts';

/** postgres_exporter's default collectors (database, locks, replication, settings, stat_activity, stat_database). */
const jobs = [postgresExporterJob];
/** postgres_exporter 0.11 (Debian's) labels every series but pg_up with the `host:port` it scrapes. */
const server = label.cardinality(1);
const datname = label.cardinality(12);
const database = { datid: label.cardinality(12), datname, server };
const statActivityLabels = {
  datname,
  server,
  state: label.values([
    'active',
    'idle',
    'idle in transaction',
    'idle in transaction (aborted)',
    'fastpath function call',
    'disabled',
  ]),
  usename: label.cardinality(12),
  application_name: label.cardinality(15),
  backend_type: label.cardinality(10),
  wait_event_type: label.cardinality(10),
  wait_event: label.cardinality(40),
};
const statActivityCaps = [{ labels: ['datname', 'usename', 'application_name'] as const, max: 40 }];

export const pgUp = gauge('pg_up', {
  help: 'Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1 for yes, 0 for no).',
  unit: 'boolean',
  jobs,
  labels: {},
});

export const pgSettingsMaxConnections = gauge('pg_settings_max_connections', {
  help: 'Server Parameter: max_connections',
  unit: 'connections',
  jobs,
  labels: { server },
});

export const pgStatActivityCount = gauge('pg_stat_activity_count', {
  help: 'number of connections in this state',
  unit: 'connections',
  jobs,
  labels: statActivityLabels,
  jointCaps: statActivityCaps,
});

export const pgStatActivityMaxTxDuration = gauge('pg_stat_activity_max_tx_duration', {
  help: 'max duration in seconds any active transaction has been running',
  unit: 'seconds',
  jobs,
  labels: statActivityLabels,
  jointCaps: statActivityCaps,
});

export const pgStatDatabaseNumbackends = gauge('pg_stat_database_numbackends', {
  help: 'Number of backends currently connected to this database.',
  unit: 'connections',
  jobs,
  labels: database,
});
export const pgStatDatabaseXactCommit = counter('pg_stat_database_xact_commit', {
  help: 'Number of transactions in this database that have been committed',
  unit: 'transactions',
  jobs,
  labels: database,
});
export const pgStatDatabaseXactRollback = counter('pg_stat_database_xact_rollback', {
  help: 'Number of transactions in this database that have been rolled back',
  unit: 'transactions',
  jobs,
  labels: database,
});
export const pgStatDatabaseBlksRead = counter('pg_stat_database_blks_read', {
  help: 'Number of disk blocks read in this database',
  unit: 'count',
  jobs,
  labels: database,
});
export const pgStatDatabaseBlksHit = counter('pg_stat_database_blks_hit', {
  help: 'Number of times disk blocks were found already in the buffer cache',
  unit: 'count',
  jobs,
  labels: database,
});
export const pgStatDatabaseDeadlocks = counter('pg_stat_database_deadlocks', {
  help: 'Number of deadlocks detected in this database',
  unit: 'count',
  jobs,
  labels: database,
});

export const pgLocksCount = gauge('pg_locks_count', {
  help: 'Number of locks',
  unit: 'count',
  jobs,
  labels: {
    server,
    datname,
    mode: label.values([
      'accesssharelock',
      'rowsharelock',
      'rowexclusivelock',
      'shareupdateexclusivelock',
      'sharelock',
      'sharerowexclusivelock',
      'exclusivelock',
      'accessexclusivelock',
      'sireadlock',
    ]),
  },
});

export const pgReplicationLagSeconds = gauge('pg_replication_lag_seconds', {
  help: 'Replication lag behind master in seconds',
  unit: 'seconds',
  jobs,
  labels: { server },
});
export const pgReplicationIsReplica = gauge('pg_replication_is_replica', {
  help: 'Indicates if the server is a replica',
  unit: 'boolean',
  jobs,
  labels: { server },
});

export const pgDatabaseSizeBytes = gauge('pg_database_size_bytes', {
  help: 'Disk space used by the database',
  unit: 'bytes',
  jobs,
  labels: { datname, server },
});
