import { counter, gauge, histogram, label } from '@o11y/catalog';
import { exposedBy } from './exposure.ts';
import { services } from './services.ts';

/** Application metrics our shared Node.js service library registers next to prom-client's defaults. */
const withPostgres = exposedBy(
  services.filter((s) => s.instrumentation === 'prom-client' && s.datastores.includes('postgres')),
);
const withRedis = exposedBy(
  services.filter((s) => s.instrumentation === 'prom-client' && s.datastores.includes('redis')),
);
const gateway = exposedBy(services.filter((s) => s.name === 'api-gateway'));
const callers = exposedBy(services.filter((s) => s.name === 'payments' || s.name === 'shipping'));
const promClient = exposedBy(services.filter((s) => s.instrumentation === 'prom-client'));

export const dbQueryDurationSeconds = histogram('db_query_duration_seconds', {
  help: 'Duration of PostgreSQL queries in seconds.',
  unit: 'seconds',
  jobs: withPostgres.jobs,
  jointCaps: withPostgres.jointCaps,
  labels: {
    ...withPostgres.defaultLabels,
    operation: label.values(['select', 'insert', 'update', 'delete', 'transaction']),
    table: label.cardinality(60),
    status: label.values(['ok', 'error']),
  },
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export const dbPoolConnections = gauge('db_pool_connections', {
  help: 'Connections of the PostgreSQL pool by state.',
  unit: 'connections',
  jobs: withPostgres.jobs,
  jointCaps: withPostgres.jointCaps,
  labels: { ...withPostgres.defaultLabels, state: label.values(['active', 'idle']) },
});

export const dbPoolMaxConnections = gauge('db_pool_max_connections', {
  help: 'Size limit of the PostgreSQL pool.',
  unit: 'connections',
  jobs: withPostgres.jobs,
  jointCaps: withPostgres.jointCaps,
  labels: withPostgres.defaultLabels,
});

export const dbPoolWaitingRequests = gauge('db_pool_waiting_requests', {
  help: 'Queries waiting for a free pool connection.',
  unit: 'queries',
  jobs: withPostgres.jobs,
  jointCaps: withPostgres.jointCaps,
  labels: withPostgres.defaultLabels,
});

export const cacheOperationsTotal = counter('cache_operations_total', {
  help: 'Cache operations by cache, operation and result.',
  unit: 'operations',
  jobs: withRedis.jobs,
  jointCaps: withRedis.jointCaps,
  labels: {
    ...withRedis.defaultLabels,
    cache: label.values(['redis', 'memory']),
    operation: label.values(['get', 'set', 'delete']),
    result: label.values(['hit', 'miss', 'ok', 'error']),
  },
});

export const cacheOperationDurationSeconds = histogram('cache_operation_duration_seconds', {
  help: 'Duration of cache operations in seconds.',
  unit: 'seconds',
  jobs: withRedis.jobs,
  jointCaps: withRedis.jointCaps,
  labels: {
    ...withRedis.defaultLabels,
    cache: label.values(['redis', 'memory']),
    operation: label.values(['get', 'set', 'delete']),
  },
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
});

/** Third-party APIs: the payment provider and the carriers. */
export const externalProviders = ['stripe', 'adyen', 'dhl', 'ups', 'fedex'] as const;

export const externalApiRequestsTotal = counter('external_api_requests_total', {
  help: 'Calls to third-party APIs by provider and outcome.',
  unit: 'requests',
  jobs: callers.jobs,
  jointCaps: callers.jointCaps,
  labels: {
    ...callers.defaultLabels,
    provider: label.values(externalProviders),
    outcome: label.values(['success', 'error', 'timeout']),
  },
});

export const externalApiRequestDurationSeconds = histogram('external_api_request_duration_seconds', {
  help: 'Duration of calls to third-party APIs in seconds.',
  unit: 'seconds',
  jobs: callers.jobs,
  jointCaps: callers.jointCaps,
  labels: { ...callers.defaultLabels, provider: label.values(externalProviders) },
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/** 1 for the breaker's current state, 0 for the others (one series per state, as opossum's exporter does). */
export const circuitBreakerState = gauge('circuit_breaker_state', {
  help: 'Circuit breaker state: 1 for the current state, 0 otherwise.',
  unit: 'boolean',
  jobs: promClient.jobs,
  labels: {
    ...promClient.defaultLabels,
    breaker: label.cardinality(5),
    state: label.values(['closed', 'open', 'half_open']),
  },
  jointCaps: [...promClient.jointCaps, { labels: ['service', 'breaker'], max: 25 }],
});

/** Customer plans; the API gateway rate-limits and meters by plan. */
export const plans = ['free', 'basic', 'premium', 'enterprise'] as const;

export const rateLimitRequestsTotal = counter('rate_limit_requests_total', {
  help: 'Requests checked by the rate limiter, by plan and decision.',
  unit: 'requests',
  jobs: gateway.jobs,
  jointCaps: gateway.jointCaps,
  labels: {
    ...gateway.defaultLabels,
    plan: label.values(plans),
    decision: label.values(['allowed', 'limited']),
  },
});

export const websocketConnections = gauge('websocket_connections', {
  help: 'Open websocket connections.',
  unit: 'connections',
  jobs: gateway.jobs,
  jointCaps: gateway.jointCaps,
  labels: gateway.defaultLabels,
});

export const websocketMessagesTotal = counter('websocket_messages_total', {
  help: 'Websocket messages by direction.',
  unit: 'messages',
  jobs: gateway.jobs,
  jointCaps: gateway.jointCaps,
  labels: { ...gateway.defaultLabels, direction: label.values(['sent', 'received']) },
});
