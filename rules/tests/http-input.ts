import type { InputSeries } from '@o11y/rules';
import { constant, linear, series } from '@o11y/rules';
import {
  type Environment,
  httpRequestDurationSeconds,
  httpRequestsTotal,
  httpServerRequestDurationSeconds,
  type OrgService,
} from '../../catalog/index.ts';

/** The route every generated HTTP test series is served on. */
export const ROUTE = '/api/items';

export interface HttpTraffic {
  /** Requests per minute. */
  readonly perMinute: number;
  /** Share answered with a 500. */
  readonly errorRatio: number;
  /** Every request takes between this bucket bound and the next one up. */
  readonly slowerThan: number;
  readonly minutes: number;
  /** Default: production. */
  readonly environment?: Environment;
}

/**
 * A service's HTTP traffic as its instrumentation exposes it (prom-client or OpenTelemetry names), one
 * sample a minute: counters for 200s and 500s and cumulative histogram buckets.
 */
export function httpInput(service: OrgService, traffic: HttpTraffic): InputSeries[] {
  const { perMinute, errorRatio, slowerThan, minutes, environment = 'production' } = traffic;
  const errors = perMinute * errorRatio;
  const ok = perMinute - errors;
  const counter = (perStep: number) => (perStep === 0 ? constant(0, minutes) : linear(0, perStep, minutes));
  const { name } = service;
  if (service.instrumentation === 'prom-client') {
    const base = { service: name, environment, method: 'GET', route: ROUTE } as const;
    const histogram = httpRequestDurationSeconds;
    return [
      series(httpRequestsTotal, { ...base, status_code: '200' }, counter(ok)),
      series(httpRequestsTotal, { ...base, status_code: '500' }, counter(errors)),
      ...[...(histogram.declaration.buckets ?? []), Number.POSITIVE_INFINITY].map((bound) =>
        series(
          histogram.bucket,
          { ...base, status_code: '200', le: histogram.le(bound) },
          counter(bound > slowerThan ? perMinute : 0),
        ),
      ),
      series(histogram.count, { ...base, status_code: '200' }, counter(perMinute)),
    ];
  }
  const histogram = httpServerRequestDurationSeconds;
  const base = {
    service_name: name,
    deployment_environment_name: environment,
    // As Prometheus stores it: the scrape copies the resource attribute into our dimension.
    environment,
    http_request_method: 'GET',
    http_route: ROUTE,
  } as const;
  return [
    series(histogram.count, { ...base, http_response_status_code: '200' }, counter(ok)),
    series(histogram.count, { ...base, http_response_status_code: '500' }, counter(errors)),
    ...[...(histogram.declaration.buckets ?? []), Number.POSITIVE_INFINITY].map((bound) =>
      series(
        histogram.bucket,
        { ...base, http_response_status_code: '200', le: histogram.le(bound) },
        counter(bound > slowerThan ? perMinute : 0),
      ),
    ),
  ];
}

/** The p95 Prometheus interpolates when every request falls in the bucket above `slowerThan`. */
export function p95Within(buckets: readonly number[], slowerThan: number): number {
  const upper = buckets.find((b) => b > slowerThan)!;
  return slowerThan + (upper - slowerThan) * 0.95;
}
