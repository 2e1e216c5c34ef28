import { type Duration, formatDuration, parseDuration } from '@o11y/core';
import {
  type AlertingRule,
  constant,
  fires,
  type InputSeries,
  linear,
  near,
  ruleTests,
  series,
  silent,
  testCase,
} from '@o11y/rules';
import {
  cacheOperationsTotal,
  circuitBreakerState,
  dbPoolConnections,
  dbPoolMaxConnections,
  type Environment,
  processResidentMemoryBytes,
  up,
} from '../../catalog/index.ts';
import { serviceRules } from '../services.ts';
import {
  API_ERROR_RATE,
  CACHE_HIT_RATE_MIN,
  DB_POOL_USAGE,
  P95_LATENCY_SECONDS,
  PROCESS_MEMORY_BYTES,
} from '../thresholds.ts';
import { httpInput, p95Within, ROUTE } from './http-input.ts';

const MINUTES = 40;
const INSTANCE = 'host-1:3000';
const STAGING_INSTANCE = 'host-staging-1:3000';
const POOL_SIZE = 20;

type ServiceRules = (typeof serviceRules)[number];

/** A service's HTTP traffic in one environment, healthy unless HighErrorRate or HighLatency is the fault. */
function traffic(service: ServiceRules['service'], fault?: string, environment?: Environment): InputSeries[] {
  const healthyLatency = P95_LATENCY_SECONDS / 2;
  const buckets = (
    service.instrumentation === 'prom-client' ? [0.25, 0.5, 1] : [0.25, 0.5, 0.75]
  ) as readonly number[];
  return httpInput(service, {
    perMinute: 600,
    errorRatio: fault === 'HighErrorRate' ? API_ERROR_RATE * 5 : API_ERROR_RATE / 4,
    slowerThan:
      fault === 'HighLatency'
        ? buckets.find((b) => b >= P95_LATENCY_SECONDS)!
        : buckets.find((b) => b >= healthyLatency)!,
    minutes: MINUTES,
    ...(environment && { environment }),
  });
}

/** Everything a service exposes, healthy unless a fault is named: the input of every service test. */
function inputs(rules: ServiceRules, fault?: string): InputSeries[] {
  const { service } = rules;
  const { name } = service;
  const target = { job: name, instance: INSTANCE } as const;
  const labels = { service: name, environment: 'production', ...target } as const;
  const out = [
    ...traffic(service, fault),
    series(up, { ...target, environment: 'production' }, constant(fault === 'TargetDown' ? 0 : 1, MINUTES)),
  ];
  if (service.instrumentation !== 'prom-client') return out;
  out.push(
    series(
      processResidentMemoryBytes,
      labels,
      constant(fault === 'HighMemoryUsage' ? PROCESS_MEMORY_BYTES * 1.5 : PROCESS_MEMORY_BYTES / 3, MINUTES),
    ),
    ...(['closed', 'open', 'half_open'] as const).map((state) =>
      series(
        circuitBreakerState,
        { ...labels, breaker: 'stripe', state },
        constant(state === (fault === 'CircuitBreakerOpen' ? 'open' : 'closed') ? 1 : 0, MINUTES),
      ),
    ),
  );
  if (service.datastores.includes('postgres')) {
    const active = fault === 'DbPoolExhausted' ? POOL_SIZE * ((1 + DB_POOL_USAGE) / 2) : POOL_SIZE / 4;
    out.push(
      series(dbPoolConnections, { ...labels, state: 'active' }, constant(active, MINUTES)),
      series(dbPoolConnections, { ...labels, state: 'idle' }, constant(POOL_SIZE - active, MINUTES)),
      series(dbPoolMaxConnections, labels, constant(POOL_SIZE, MINUTES)),
    );
  }
  if (service.datastores.includes('redis')) {
    const hitRatio = fault === 'CacheHitRateLow' ? CACHE_HIT_RATE_MIN / 2 : (1 + CACHE_HIT_RATE_MIN) / 2;
    const cache = { ...labels, cache: 'redis', operation: 'get' } as const;
    out.push(
      series(cacheOperationsTotal, { ...cache, result: 'hit' }, linear(0, 100 * hitRatio, MINUTES)),
      series(cacheOperationsTotal, { ...cache, result: 'miss' }, linear(0, 100 * (1 - hitRatio), MINUTES)),
    );
  }
  return out;
}

/** The labels each alert's expression keeps, in the inputs above. */
function firingLabels(rules: ServiceRules, alertName: string): Record<string, string> {
  const { name } = rules.service;
  const series = { service: name, environment: 'production', job: name, instance: INSTANCE };
  switch (alertName) {
    case 'TargetDown':
      return { job: name, instance: INSTANCE, environment: 'production' };
    case 'HighMemoryUsage':
      return series;
    case 'CircuitBreakerOpen':
      return { ...series, breaker: 'stripe', state: 'open' };
    case 'DbPoolExhausted':
      return { service: name, environment: 'production', instance: INSTANCE };
    default:
      return { service: name, environment: 'production' };
  }
}

/** When each alert has surely fired: its longest range plus its `for`, plus a few minutes. */
function firesBy(alert: AlertingRule): Duration {
  return formatDuration(parseDuration(alert.for ?? '0s') + 15 * 60_000) as Duration;
}

export const serviceTests = serviceRules.map((rules) => {
  const { service, red, alerts } = rules;
  const mine = { service: service.name };
  const byRoute = { service: service.name, route: ROUTE };
  const production = { environment: 'production', service: service.name } as const;
  const at = `${MINUTES}m` as const;
  const latencyBuckets = service.instrumentation === 'prom-client' ? [0.25, 0.5, 1] : [0.25, 0.5, 0.75];
  const healthyP95 = p95Within(latencyBuckets, latencyBuckets.find((b) => b >= P95_LATENCY_SECONDS / 2)!);
  return ruleTests(`service-${service.name}`, {
    file: `services/${service.name}`,
    rules: rules.groups,
    tests: [
      testCase(`${service.name}: healthy traffic records RED and fires nothing`, {
        interval: '1m',
        input: inputs(rules),
        alerts: Object.values(alerts).map((a) => silent(a, at)),
        exprs: [
          near(red.requests.select(byRoute), at, {
            labels: { ...production, route: ROUTE },
            value: 10,
          }),
          near(red.errors.select(byRoute), at, {
            labels: { ...production, route: ROUTE },
            value: 10 * (API_ERROR_RATE / 4),
          }),
          near(red.buckets.select({ ...byRoute, le: '+Inf' }), at, {
            labels: { ...production, route: ROUTE, le: '+Inf' },
            value: 10,
          }),
          near(red.serviceRequests.select(mine), at, { labels: production, value: 10 }),
          near(red.errorRatio.select(mine), at, {
            labels: production,
            value: API_ERROR_RATE / 4,
          }),
          near(red.p95.select(mine), at, { labels: production, value: healthyP95 }),
          near(red.routeP95.select(byRoute), at, {
            labels: { ...production, route: ROUTE },
            value: healthyP95,
          }),
        ],
      }),
      // Staging's errors are staging's: the alert fires for staging alone, production's ratio is untouched.
      testCase(`${service.name}: staging errors fire HighErrorRate for staging only`, {
        interval: '1m',
        input: [...inputs(rules), ...traffic(service, 'HighErrorRate', 'staging')],
        alerts: [
          fires(alerts.HighErrorRate!, firesBy(alerts.HighErrorRate!), [
            { labels: { ...firingLabels(rules, 'HighErrorRate'), environment: 'staging' } },
          ]),
        ],
        exprs: [
          near(red.errorRatio.select(production), at, { labels: production, value: API_ERROR_RATE / 4 }),
        ],
      }),
      // A staging instance that is down is staging's: the alert carries its environment, for the routes.
      testCase(`${service.name}: a staging instance down fires TargetDown for staging only`, {
        interval: '1m',
        input: [
          ...inputs(rules),
          series(
            up,
            { job: service.name, instance: STAGING_INSTANCE, environment: 'staging' },
            constant(0, MINUTES),
          ),
        ],
        alerts: [
          fires(alerts.TargetDown!, firesBy(alerts.TargetDown!), [
            { labels: { job: service.name, instance: STAGING_INSTANCE, environment: 'staging' } },
          ]),
        ],
      }),
      ...Object.values(alerts).map((alert) =>
        testCase(`${service.name}: ${alert.name} fires`, {
          interval: '1m',
          input: inputs(rules, alert.name),
          alerts: [
            silent(alert, '30s'),
            fires(alert, firesBy(alert), [{ labels: firingLabels(rules, alert.name) }]),
          ],
        }),
      ),
    ],
  });
});
