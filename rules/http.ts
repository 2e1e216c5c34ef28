import { type InstantVector, labelReplace, type Range, rate, re, sum } from '@o11y/catalog';
import {
  httpRequestDurationSeconds,
  httpRequestsTotal,
  httpServerRequestDurationSeconds,
  type OrgService,
  serverErrorStatus,
} from '../catalog/index.ts';

/**
 * A service's HTTP traffic as rates by `environment`, `service` and `route`, whichever instrumentation it
 * has: the OpenTelemetry names (`service_name`, `http_route`) are copied into `service` and `route`, so
 * the RED recording rules of every service carry the same labels and one dashboard query serves them all.
 */
export interface HttpRates {
  requests(range: Range): InstantVector<'environment' | 'service' | 'route'>;
  errors(range: Range): InstantVector<'environment' | 'service' | 'route'>;
  /** Histogram bucket rates, with `le`. */
  buckets(range: Range): InstantVector<'environment' | 'service' | 'route' | 'le'>;
}

function unified<L extends string>(expr: InstantVector<L>, serviceLabel: L, routeLabel: L) {
  return labelReplace(
    labelReplace(expr, 'service', '$1', serviceLabel, '(.*)'),
    'route',
    '$1',
    routeLabel,
    '(.*)',
  );
}

export function httpRates(service: OrgService): HttpRates {
  const { name } = service;
  if (service.instrumentation === 'prom-client') {
    const requests = httpRequestsTotal.select({ service: name });
    const errors = httpRequestsTotal.select({ service: name, status_code: serverErrorStatus });
    const buckets = httpRequestDurationSeconds.bucket.select({ service: name });
    return {
      requests: (range) => sum(rate(requests.range(range))).by('environment', 'service', 'route'),
      errors: (range) => sum(rate(errors.range(range))).by('environment', 'service', 'route'),
      buckets: (range) => sum(rate(buckets.range(range))).by('environment', 'service', 'route', 'le'),
    };
  }
  const otel = httpServerRequestDurationSeconds;
  const requests = otel.count.select({ service_name: name });
  const errors = otel.count.select({ service_name: name, http_response_status_code: re('5..') });
  const buckets = otel.bucket.select({ service_name: name });
  return {
    requests: (range) =>
      sum(unified(rate(requests.range(range)), 'service_name', 'http_route')).by(
        'environment',
        'service',
        'route',
      ),
    errors: (range) =>
      sum(unified(rate(errors.range(range)), 'service_name', 'http_route')).by(
        'environment',
        'service',
        'route',
      ),
    buckets: (range) =>
      sum(unified(rate(buckets.range(range)), 'service_name', 'http_route')).by(
        'environment',
        'service',
        'route',
        'le',
      ),
  };
}
