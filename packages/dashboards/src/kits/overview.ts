import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  histogramQuantile,
  type InstantVector,
  type LabelMap,
  rate,
  re,
  type Selector,
  sum,
} from '@o11y/catalog';
import { captureSource } from '@o11y/core';
import { Dashboard } from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import type { Panel } from '../builder/panel.ts';
import { timeseries } from '../builder/panels.ts';
import { labelValues, ref, type Variable } from '../builder/variables.ts';
import type { HttpMetrics } from './http.ts';

type Gauge = Selector<LabelMap, 'gauge'>;

/**
 * Narrows any selector to the series of the services chosen in `$service` (their scrape jobs) and, when
 * its series carry the environment label, of the environments chosen in `$environment`.
 */
export type ByService = <S extends Selector<LabelMap>>(metric: S) => S;

/**
 * `$environment` and `$service` (a service's scrape job is named after it), for overviews across
 * services: the environments come from the first convention's request counter, the services from `up`.
 */
export function overviewVariables(
  http: readonly HttpMetrics[],
  up: Gauge,
): { environment: Variable; service: Variable } {
  const first = http[0]!;
  return {
    environment: labelValues('environment', first.requests, { label: first.labels.environment }),
    service: labelValues('service', up, { label: 'job' }),
  };
}

/** Selects one convention's series of the services and environments chosen in `$service` and `$environment`. */
export function overviewScope<S extends Selector<LabelMap>>(metric: S, http: HttpMetrics): S {
  return metric.select({ [http.labels.environment]: re('$environment'), job: re('$service') }) as S;
}

/** Requests per second by service (scrape job), summed over one naming convention. */
function trafficBy(http: HttpMetrics, extra: Record<string, ReturnType<typeof re>> = {}): InstantVector {
  return sum(rate(overviewScope(http.requests, http).select(extra).range('$__rate_interval'))).by('job');
}

/**
 * The four golden signals of every service, one query per naming convention (legends by service):
 * latency, traffic and errors from the HTTP metrics, and a saturation row of the organisation's own
 * panels (CPU, memory, runtime, pools: whatever saturates its services), each built with `byService`
 * so it follows the `$service` variable.
 */
export function goldenSignalsDashboard(options: {
  readonly http: readonly HttpMetrics[];
  readonly up: Gauge;
  readonly folder: Folder;
  readonly thresholds: { readonly errorRatio: number; readonly p95Latency: number };
  readonly saturation: (byService: ByService) => readonly Panel[];
}): Dashboard {
  const { http, thresholds } = options;
  const { environment, service } = overviewVariables(http, options.up);
  const latency = timeseries('p95 latency')
    .description('95th percentile request duration per service. Dashed: the latency alert threshold.')
    .unit(units.Seconds)
    .threshold(thresholds.p95Latency);
  const traffic = timeseries('Traffic')
    .description('Requests per second per service.')
    .unit(units.RequestsPerSecond);
  const errors = timeseries('Error ratio')
    .description('Share of 5xx responses per service. Dashed: the error-rate alert threshold.')
    .unit(units.PercentUnit)
    .threshold(thresholds.errorRatio);
  for (const convention of http) {
    const buckets = overviewScope(convention.duration.bucket, convention).range('$__rate_interval');
    latency.query(histogramQuantile(0.95, sum(rate(buckets)).by('le', 'job')), '{{job}}');
    traffic.query(trafficBy(convention), '{{job}}');
    errors.query(
      trafficBy(convention, { [convention.labels.status]: re('5..') }).div(trafficBy(convention)),
      '{{job}}',
    );
  }
  const environmentLabel = http[0]!.labels.environment;
  const byService: ByService = (metric) =>
    metric.select({
      job: re(ref(service)),
      ...(metric.labels.includes(environmentLabel) && { [environmentLabel]: re(ref(environment)) }),
    }) as typeof metric;
  return new Dashboard('Golden signals', captureSource())
    .folder(options.folder)
    .tags('overview', 'golden-signals')
    .description('Latency, traffic, errors and saturation of every service.')
    .variables(environment, service)
    .linkTagged('red', 'RED dashboards')
    .row('Latency and traffic', [latency, traffic])
    .row('Errors', [errors])
    .row('Saturation', options.saturation(byService));
}
