import {
  counter,
  defineCatalog,
  defineDimensions,
  gauge,
  histogram,
  histogramQuantile,
  label,
  labelReplace,
  rate,
  re,
  serviceKinds,
  sum,
} from '@o11y/catalog';
import { availability, latency, record, slo } from '@o11y/rules';
import { type Dashboard, folder, type RedRecordings, redDashboard } from '../src/index.ts';

/**
 * A small organisation for the package's own tests: a prom-client service and an OpenTelemetry one,
 * their HTTP metrics under both namings, a sales counter, RED recording rules and SLOs.
 */
const service = serviceKinds<{ instrumentation: 'prom-client' | 'otel'; datastore: 'sql' }>();

export const services = [
  service('checkout', {
    description: 'Takes the money',
    team: 'tills',
    instrumentation: 'prom-client',
    tier: 'critical',
    replicas: 2,
    port: 3000,
    datastores: ['sql'],
    slo: { availability: 0.9995, latency: { threshold: 0.5, objective: 0.99 } },
  }),
  service('ledger', {
    description: 'Keeps the books',
    team: 'books',
    instrumentation: 'otel',
    tier: 'high',
    replicas: 2,
    port: 9464,
    datastores: ['sql'],
    slo: { availability: 0.999, latency: { threshold: 1, objective: 0.99 } },
  }),
] as const;
export type FixtureService = (typeof services)[number];
const [checkout, ledger] = services;

const environments = label.values(['production', 'staging']);

/** The fixture organisation's deployment dimensions: environments, and clusters from `external_labels`. */
export const dimensions = {
  none: defineDimensions({}),
  environment: defineDimensions({ environment: { values: ['production', 'staging'], source: 'relabel' } }),
  both: defineDimensions({
    environment: { values: ['production', 'staging'], source: 'relabel' },
    cluster: { source: 'external_labels' },
  }),
};
const statuses = label.values(['200', '404', '500', '503']);

const promClientLabels = {
  service: label.values([checkout.name]),
  environment: environments,
  method: label.values(['GET', 'POST']),
  route: label.cardinality(10),
  status_code: statuses,
};

export const httpRequestsTotal = counter('http_requests_total', {
  help: 'HTTP requests served.',
  unit: 'requests',
  jobs: [checkout.job],
  labels: promClientLabels,
});

export const httpRequestDurationSeconds = histogram('http_request_duration_seconds', {
  help: 'HTTP request duration.',
  unit: 'seconds',
  jobs: [checkout.job],
  labels: promClientLabels,
  buckets: [0.1, 0.25, 0.5, 1, 2.5],
});

export const httpServerRequestDurationSeconds = histogram('http_server_request_duration_seconds', {
  help: 'HTTP server request duration.',
  unit: 'seconds',
  jobs: [ledger.job],
  labels: {
    service_name: label.values([ledger.name]),
    deployment_environment_name: environments,
    // The scrape copies the resource attribute into the `environment` dimension's label.
    environment: environments,
    http_request_method: label.values(['GET', 'POST']),
    http_route: label.cardinality(10),
    http_response_status_code: statuses,
  },
  buckets: [0.1, 0.25, 0.5, 1, 2.5],
});

export const salesTotal = counter('sales_total', {
  help: 'Money taken, in units of the currency.',
  unit: 'count',
  jobs: [checkout.job],
  labels: { service: label.values([checkout.name]), currency: label.values(['EUR', 'USD']) },
});

export const up = gauge('up', {
  help: 'Whether the target was scraped.',
  unit: 'boolean',
  jobs: [checkout.job, ledger.job],
  labels: {},
  scrapeGenerated: true,
});

export const catalog = defineCatalog([
  httpRequestsTotal,
  httpRequestDurationSeconds,
  httpServerRequestDurationSeconds,
  salesTotal,
  up,
]);

export const httpConventions = {
  'prom-client': {
    requests: httpRequestsTotal,
    duration: httpRequestDurationSeconds,
    labels: {
      method: 'method',
      route: 'route',
      status: 'status_code',
      service: 'service',
      environment: 'environment',
    },
  },
  otel: {
    requests: httpServerRequestDurationSeconds.count,
    duration: httpServerRequestDurationSeconds,
    labels: {
      method: 'http_request_method',
      route: 'http_route',
      status: 'http_response_status_code',
      service: 'service_name',
      environment: 'deployment_environment_name',
    },
  },
} as const;

/** The RED recording rules of a service, with `service` and `route` whatever its instrumentation names them. */
export function redRecordings(of: FixtureService): RedRecordings {
  const http = httpConventions[of.instrumentation];
  const mine = { [http.labels.service]: of.name };
  const unified = <E extends Parameters<typeof labelReplace>[0]>(expr: E) =>
    labelReplace(
      labelReplace(expr, 'service', '$1', http.labels.service, '(.*)'),
      'route',
      '$1',
      http.labels.route,
      '(.*)',
    );
  const requests = record(
    'service_route:http_requests:rate5m',
    sum(unified(rate(http.requests.select(mine as never).range('5m')))).by('service', 'route'),
  );
  const errors = record(
    'service_route:http_request_errors:rate5m',
    sum(
      unified(rate(http.requests.select({ ...mine, [http.labels.status]: re('5..') } as never).range('5m'))),
    ).by('service', 'route'),
  );
  const buckets = record(
    'service_route_le:http_request_duration_seconds_bucket:rate5m',
    sum(unified(rate(http.duration.bucket.select(mine as never).range('5m')))).by('service', 'route', 'le'),
  );
  const own = { service: of.name };
  const serviceRequests = record('service:http_requests:rate5m', sum(requests.select(own)).by('service'));
  const total = serviceRequests.select(own);
  const errorRatio = record(
    'service:http_request_errors:ratio_rate5m',
    sum(errors.select(own)).by('service').or(total.times(0)).div(total.gt(0)),
  );
  const p95 = record(
    'service:http_request_duration_seconds:p95_rate5m',
    histogramQuantile(0.95, sum(buckets.select(own)).by('service', 'le')),
  );
  const routeP95 = record(
    'service_route:http_request_duration_seconds:p95_rate5m',
    histogramQuantile(0.95, buckets.select(own)),
  );
  return { requests, errors, buckets, serviceRequests, errorRatio, p95, routeP95 };
}

/** An availability and a latency SLO of each service. */
export const slos = services.flatMap((of) => {
  const http = httpConventions[of.instrumentation];
  const mine = { [http.labels.service]: of.name } as never;
  return [
    slo({
      service: of,
      name: 'availability',
      objective: of.slo.availability,
      sli: availability({
        total: http.requests.select(mine),
        errors: http.requests.select({ ...(mine as object), [http.labels.status]: re('5..') } as never),
      }),
    }),
    slo({
      service: of,
      name: 'latency',
      objective: of.slo.latency.objective,
      sli:
        of.instrumentation === 'prom-client'
          ? latency({
              histogram: httpRequestDurationSeconds,
              select: { service: checkout.name },
              threshold: of.slo.latency.threshold,
            })
          : latency({
              histogram: httpServerRequestDurationSeconds,
              select: { service_name: ledger.name },
              threshold: of.slo.latency.threshold,
            }),
    }),
  ];
});

export function sloOf(service: FixtureService['name'], name: 'availability' | 'latency') {
  return slos.find((s) => s.service === service && s.name === name)!;
}

/** A service's RED dashboard, in its team's folder, with the tests' thresholds and dimensions. */
export function redDashboardOf(service: FixtureService): Dashboard {
  return redDashboard({
    service,
    http: httpConventions[service.instrumentation],
    folder: folder(service.team),
    thresholds: { errorRatio: 0.01, p95Latency: 0.5 },
    dimensions: dimensions.environment,
  });
}
