import { histogramQuantile, rate, re, sum } from '@o11y/catalog';
import { alert, record, ruleGroup } from '@o11y/rules';
import {
  cacheOperationsTotal,
  circuitBreakerState,
  dbPoolConnections,
  dbPoolMaxConnections,
  type OrgService,
  processResidentMemoryBytes,
  services,
  up,
} from '../catalog/index.ts';
import { httpRates } from './http.ts';
import {
  API_ERROR_RATE,
  CACHE_HIT_RATE_MIN,
  DB_POOL_USAGE,
  P95_LATENCY_SECONDS,
  PROCESS_MEMORY_BYTES,
  RUNBOOKS,
} from './thresholds.ts';

/** RED recording rules of one service, per route and for the whole service. */
function redRecordings(service: OrgService) {
  const http = httpRates(service);
  const requests = record('service_route:http_requests:rate5m', http.requests('5m'));
  const errors = record('service_route:http_request_errors:rate5m', http.errors('5m'));
  const buckets = record('service_route_le:http_request_duration_seconds_bucket:rate5m', http.buckets('5m'));
  const mine = { service: service.name };
  const serviceRequests = record(
    'service:http_requests:rate5m',
    sum(requests.select(mine)).by('environment', 'service'),
  );
  const serviceErrors = sum(errors.select(mine)).by('environment', 'service');
  const total = serviceRequests.select(mine);
  // Services that served no 5xx yet have no error series: count them as 0, and give no ratio without traffic.
  const errorRatio = record(
    'service:http_request_errors:ratio_rate5m',
    serviceErrors.or(total.times(0)).div(total.gt(0)),
  );
  const p95 = record(
    'service:http_request_duration_seconds:p95_rate5m',
    histogramQuantile(0.95, sum(buckets.select(mine)).by('environment', 'service', 'le')),
  );
  const routeP95 = record(
    'service_route:http_request_duration_seconds:p95_rate5m',
    histogramQuantile(0.95, buckets.select(mine)),
  );
  return { requests, errors, buckets, serviceRequests, errorRatio, p95, routeP95 };
}

function serviceAlerts(service: OrgService, red: ReturnType<typeof redRecordings>) {
  const owner = { team: service.team, labels: { service: service.name } };
  const mine = { service: service.name };
  const runbook = (alertName: string) => `${RUNBOOKS}/${alertName}`;
  const highErrorRate = alert('HighErrorRate', {
    ...owner,
    expr: red.errorRatio.select(mine).gt(API_ERROR_RATE),
    for: '5m',
    severity: 'warning',
    summary: `${service.name} answers more than ${API_ERROR_RATE * 100}% of requests with a server error`,
    description: `More than ${API_ERROR_RATE * 100}% of the requests to ${service.name} failed with a 5xx over the last 5 minutes.`,
    runbookUrl: runbook('HighErrorRate'),
  });
  const highLatency = alert('HighLatency', {
    ...owner,
    expr: red.p95.select(mine).gt(P95_LATENCY_SECONDS),
    for: '10m',
    severity: 'warning',
    summary: `${service.name} is slow: p95 latency above ${P95_LATENCY_SECONDS * 1000} ms`,
    description: `The 95th percentile of request latency of ${service.name} has been above ${P95_LATENCY_SECONDS * 1000} ms for 10 minutes.`,
    runbookUrl: runbook('HighLatency'),
  });
  const targetDown = alert('TargetDown', {
    ...owner,
    expr: up.select({ job: service.name }).eq(0),
    for: '3m',
    severity: 'critical',
    summary: `A ${service.name} instance cannot be scraped`,
    description: `Prometheus has failed to scrape {{ $labels.instance }} of ${service.name} for 3 minutes: it is down or unreachable.`,
    runbookUrl: runbook('TargetDown'),
  });
  const alerts = [highErrorRate, highLatency, targetDown];
  if (service.instrumentation === 'prom-client') {
    alerts.push(
      alert('HighMemoryUsage', {
        ...owner,
        expr: processResidentMemoryBytes.select(mine).gt(PROCESS_MEMORY_BYTES),
        for: '15m',
        severity: 'warning',
        summary: `A ${service.name} process uses more than ${PROCESS_MEMORY_BYTES / 1024 ** 3} GiB of memory`,
        description: `{{ $labels.instance }} of ${service.name} has used more than ${PROCESS_MEMORY_BYTES / 1024 ** 3} GiB of resident memory for 15 minutes; it may leak.`,
        runbookUrl: runbook('HighMemoryUsage'),
      }),
      alert('CircuitBreakerOpen', {
        ...owner,
        expr: circuitBreakerState.select({ ...mine, state: 'open' }).eq(1),
        for: '1m',
        severity: 'warning',
        summary: `A circuit breaker of ${service.name} is open`,
        description: `Circuit breaker {{ $labels.breaker }} on {{ $labels.instance }} of ${service.name} is open: calls through it fail fast.`,
        runbookUrl: runbook('CircuitBreakerOpen'),
      }),
    );
    if (service.datastores.includes('postgres')) {
      const active = sum(dbPoolConnections.select({ ...mine, state: 'active' })).by(
        'environment',
        'service',
        'instance',
      );
      const size = sum(dbPoolMaxConnections.select(mine)).by('environment', 'service', 'instance');
      alerts.push(
        alert('DbPoolExhausted', {
          ...owner,
          expr: active.div(size.gt(0)).gt(DB_POOL_USAGE),
          for: '5m',
          severity: 'warning',
          summary: `The database pool of ${service.name} is more than ${DB_POOL_USAGE * 100}% used`,
          description: `{{ $labels.instance }} of ${service.name} has had more than ${DB_POOL_USAGE * 100}% of its PostgreSQL pool connections in use for 5 minutes; queries will queue.`,
          runbookUrl: runbook('DbPoolExhausted'),
        }),
      );
    }
    if (service.datastores.includes('redis')) {
      const gets = { ...mine, operation: 'get' } as const;
      const hits = sum(rate(cacheOperationsTotal.select({ ...gets, result: 'hit' }).range('10m'))).by(
        'environment',
        'service',
      );
      const lookups = sum(
        rate(cacheOperationsTotal.select({ ...gets, result: re('hit|miss') }).range('10m')),
      ).by('environment', 'service');
      alerts.push(
        alert('CacheHitRateLow', {
          ...owner,
          expr: hits.or(lookups.times(0)).div(lookups.gt(0)).lt(CACHE_HIT_RATE_MIN),
          for: '15m',
          severity: 'warning',
          summary: `The cache hit rate of ${service.name} is below ${CACHE_HIT_RATE_MIN * 100}%`,
          description: `Fewer than ${CACHE_HIT_RATE_MIN * 100}% of the cache lookups of ${service.name} hit over the last 10 minutes; the database takes the load.`,
          runbookUrl: runbook('CacheHitRateLow'),
        }),
      );
    }
  }
  return alerts;
}

/** Per service: RED recording rules and alerts, generated from the service list. */
export const serviceRules = services.map((service) => {
  const red = redRecordings(service);
  const alerts = serviceAlerts(service, red);
  const redGroup = ruleGroup(`${service.name}-red`, {
    file: `services/${service.name}`,
    rules: Object.values(red),
  });
  const alertGroup = ruleGroup(`${service.name}-alerts`, { file: `services/${service.name}`, rules: alerts });
  return {
    service,
    red,
    alerts: Object.fromEntries(alerts.map((a) => [a.name, a])),
    groups: [redGroup, alertGroup],
  };
});

export const serviceGroups = serviceRules.flatMap((s) => s.groups);
