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
import { type DashboardDimensions, type DimensionScope, dimensionScope } from './dimensions.ts';
import type { HttpMetrics } from './http.ts';

type Gauge = Selector<LabelMap, 'gauge'>;

/**
 * Narrows any selector to the series of the services chosen in `$service` (their scrape jobs) and of
 * the dimension values chosen in `$environment`, `$cluster`… (those its series carry).
 */
export type ByService = <S extends Selector<LabelMap>>(metric: S) => S;

/** The variables of an overview across services and the scope they select. */
export interface Overview {
  /** The dimensions' variables (values from the first convention's request counter), then `$service`. */
  readonly variables: readonly Variable[];
  readonly dimensions: DimensionScope;
  /** `$service`: a service's scrape job is named after it, listed from `up`. */
  readonly service: Variable;
  /** Selects the series of the chosen dimension values and services (HTTP metrics). */
  readonly scope: ByService;
  /** Selects the series of the chosen services and dimension values (any metric). */
  readonly byService: ByService;
}

/** The variables of an overview across services: one per deployment dimension, and `$service`. */
export function overviewVariables(
  http: readonly HttpMetrics[],
  up: Gauge,
  dimensions: DashboardDimensions,
): Overview {
  const scope = dimensionScope(dimensions, http[0]!.requests);
  const service = labelValues('service', up, { label: 'job' });
  return {
    variables: [...scope.variables, service],
    dimensions: scope,
    service,
    scope: (metric) => scope.select(metric).select({ job: re(ref(service)) }) as typeof metric,
    byService: (metric) => scope.select(metric.select({ job: re(ref(service)) }) as typeof metric),
  };
}

/** Requests per second by service (scrape job), summed over one naming convention. */
function trafficBy(
  overview: Overview,
  http: HttpMetrics,
  extra: Record<string, ReturnType<typeof re>> = {},
): InstantVector {
  return sum(rate(overview.scope(http.requests).select(extra).range('$__rate_interval'))).by('job');
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
  /** The organisation's deployment dimensions: a variable for each, filtering every panel. */
  readonly dimensions: DashboardDimensions;
  readonly folder: Folder;
  readonly thresholds: { readonly errorRatio: number; readonly p95Latency: number };
  readonly saturation: (byService: ByService) => readonly Panel[];
}): Dashboard {
  const { http, thresholds } = options;
  const overview = overviewVariables(http, options.up, options.dimensions);
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
    const buckets = overview.scope(convention.duration.bucket).range('$__rate_interval');
    latency.query(histogramQuantile(0.95, sum(rate(buckets)).by('le', 'job')), '{{job}}');
    traffic.query(trafficBy(overview, convention), '{{job}}');
    errors.query(
      trafficBy(overview, convention, { [convention.labels.status]: re('5..') }).div(
        trafficBy(overview, convention),
      ),
      '{{job}}',
    );
  }
  return new Dashboard('Golden signals', captureSource())
    .folder(options.folder)
    .tags('overview', 'golden-signals')
    .description('Latency, traffic, errors and saturation of every service.')
    .variables(...overview.variables)
    .linkTagged('red', 'RED dashboards')
    .row('Latency and traffic', [latency, traffic])
    .row('Errors', [errors])
    .row('Saturation', options.saturation(overview.byService));
}
