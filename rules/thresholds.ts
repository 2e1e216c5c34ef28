/**
 * Alert thresholds and runbook links of the organisation, each in one place. The alerting rules and
 * their promtool tests import them, and so do the dashboards that draw a threshold line.
 */

/** Share of a service's requests answered with a 5xx above which it alerts (1 %). */
export const API_ERROR_RATE = 0.01;
/** p95 request latency of a service above which it alerts, in seconds (500 ms). */
export const P95_LATENCY_SECONDS = 0.5;
/** Share of a service's PostgreSQL pool in use above which it alerts (90 %). */
export const DB_POOL_USAGE = 0.9;
/** Cache hit rate of a service's GETs below which it alerts (80 %). */
export const CACHE_HIT_RATE_MIN = 0.8;
/** Resident memory of one service process above which it alerts, in bytes (1.5 GiB). */
export const PROCESS_MEMORY_BYTES = 1.5 * 1024 ** 3;
/** Fewer premium users with an active session than this is a business incident (login or billing broken). */
export const PREMIUM_ACTIVE_USERS_MIN = 5;
/** Share of payment transactions that fail above which payments alerts (5 %). */
export const TRANSACTION_FAILURE_RATE = 0.05;
/** Error lines one service may log in 5 minutes before it alerts (a burst, not the usual trickle). */
export const ERROR_LOG_LINES_5M = 100;
/** Payment failures the payments service may log in 10 minutes before it alerts. */
export const PAYMENT_FAILURE_LOG_LINES_10M = 20;

/** A filesystem predicted to be full within this many hours alerts. */
export const DISK_FULL_WITHIN_HOURS = 4;
/** Node CPU busy share above which a host alerts (90 %). */
export const NODE_CPU_USAGE = 0.9;
/** Node memory in use (not available) above which a host alerts (90 %). */
export const NODE_MEMORY_USAGE = 0.9;
/** Share of PostgreSQL's max_connections in use above which it alerts (80 %). */
export const POSTGRES_CONNECTIONS_USAGE = 0.8;
/** Replica lag above which PostgreSQL alerts, in seconds. */
export const POSTGRES_REPLICATION_LAG_SECONDS = 30;
/** Share of Redis maxmemory in use above which it alerts (90 %). */
export const REDIS_MEMORY_USAGE = 0.9;

/** Where the runbooks live; each alert links `${RUNBOOKS}/<alert>`. */
export const RUNBOOKS = 'https://runbooks.example.com/alerts';
