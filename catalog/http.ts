import { counter, histogram, label, re } from '@o11y/catalog';
import { exposedBy } from './exposure.ts';
import { otelJobs } from './jobs.ts';
import { environments, otelServices, promClientServices } from './services.ts';

/** HTTP methods the services serve. */
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
/** Status codes the services answer with (the express error handler maps everything else to 500). */
export const httpStatusCodes = [
  '200',
  '201',
  '202',
  '204',
  '301',
  '302',
  '304',
  '400',
  '401',
  '403',
  '404',
  '405',
  '409',
  '422',
  '429',
  '500',
  '502',
  '503',
  '504',
] as const;

/** prom-client's default buckets, used by every prom-client service. */
export const promClientBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** The OpenTelemetry semantic conventions' advisory buckets for `http.server.request.duration`. */
export const otelHttpBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;

/** Routes are Express route patterns (`/orders/:id`), never raw paths: about 15 per service. */
const ROUTES_PER_SERVICE = 15;

const promClient = exposedBy(promClientServices);
const promClientHttpLabels = {
  ...promClient.defaultLabels,
  method: label.values(httpMethods),
  route: label.cardinality(ROUTES_PER_SERVICE * promClientServices.length),
  status_code: label.values(httpStatusCodes),
};
const promClientHttpCaps = [
  ...promClient.jointCaps,
  { labels: ['route'] as const, per: ['service'] as const, max: ROUTES_PER_SERVICE },
];

export const httpRequestsTotal = counter('http_requests_total', {
  help: 'Total number of HTTP requests served.',
  unit: 'requests',
  jobs: promClient.jobs,
  labels: promClientHttpLabels,
  jointCaps: promClientHttpCaps,
});

export const httpRequestDurationSeconds = histogram('http_request_duration_seconds', {
  help: 'Duration of HTTP requests in seconds.',
  unit: 'seconds',
  jobs: promClient.jobs,
  labels: promClientHttpLabels,
  jointCaps: promClientHttpCaps,
  buckets: promClientBuckets,
});

/**
 * OpenTelemetry's `http.server.request.duration` as the Prometheus exporter writes it: dots become
 * underscores, the unit becomes a suffix, and the resource attributes chosen as constant labels appear
 * as `service_name` and `deployment_environment_name`; the targets carry our `environment` dimension as
 * well (see catalog/dimensions.ts).
 */
export const httpServerRequestDurationSeconds = histogram('http_server_request_duration_seconds', {
  help: 'Duration of HTTP server requests.',
  unit: 'seconds',
  jobs: otelJobs,
  labels: {
    http_request_method: label.values([...httpMethods, '_OTHER']),
    http_response_status_code: label.values(httpStatusCodes),
    http_route: label.cardinality(ROUTES_PER_SERVICE * otelServices.length),
    url_scheme: label.values(['http', 'https']),
    network_protocol_version: label.values(['1.1', '2']),
    service_name: label.values(otelServices.map((s) => s.name)),
    deployment_environment_name: label.values(environments),
    environment: label.values(environments),
    otel_scope_name: label.cardinality(2),
  },
  jointCaps: [
    { labels: ['http_route'], per: ['service_name'], max: ROUTES_PER_SERVICE },
    // One value, under two names.
    { labels: ['deployment_environment_name', 'environment'], max: environments.length },
  ],
  buckets: otelHttpBuckets,
});

/**
 * The same RED questions asked of either naming: which series count requests, which histogram times
 * them, and which label holds the method, route, status code, service and environment. The RED
 * dashboard, the RED recording rules and the SLOs read a service's HTTP metrics through this.
 */
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
      environment: 'environment',
    },
  },
} as const;

/** Server errors: the status codes that count against availability. */
export const serverErrorStatus = re('5..');

export function httpConventionOf(s: { readonly instrumentation: keyof typeof httpConventions }) {
  return httpConventions[s.instrumentation];
}
