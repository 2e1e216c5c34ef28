import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  histogramQuantile,
  type InstantVector,
  type LabelMap,
  type LogStreams,
  type Recorded,
  re,
  type Selector,
  type Service,
  sum,
} from '@o11y/catalog';
import { captureSource, withSource } from '@o11y/core';
import { Dashboard } from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import { logs, stat, timeseries } from '../builder/panels.ts';
import { labelValues, ref } from '../builder/variables.ts';
import { type DashboardDimensions, type DimensionScope, dimensionScope } from './dimensions.ts';
import { type HttpMetrics, HttpQueries } from './http.ts';

/** Alert thresholds the RED panels draw: pass the constants the alert rules use. */
export interface RedThresholds {
  /** Share of 5xx responses (0–1) above which the error-rate alert fires. */
  readonly errorRatio: number;
  /** p95 latency in seconds above which the latency alert fires. */
  readonly p95Latency: number;
}

/**
 * A service's RED recording rules, as `record()` of @o11y/rules returns them. Every series carries
 * `service` and the HTTP metrics' environment label (the rules keep the deployment dimensions), the
 * per-route ones `route` (whatever the instrumentation names them), and each holds one service's rates
 * over the rules' own window.
 */
export interface RedRecordings {
  /** Requests per second by environment, service and route. */
  readonly requests: Recorded<string, string>;
  /** 5xx responses per second by environment, service and route (no series for a route without errors). */
  readonly errors: Recorded<string, string>;
  /** Rates of the request-duration histogram's buckets by environment, service, route and `le`. */
  readonly buckets: Recorded<string, string>;
  /** Requests per second of the whole service, by environment. */
  readonly serviceRequests: Recorded<string, string>;
  /** Share of the service's requests answered with a 5xx: the series the error-rate alert compares. */
  readonly errorRatio: Recorded<string, string>;
  /** p95 request duration of the service: the series the latency alert compares. */
  readonly p95: Recorded<string, string>;
  /** p95 request duration per route. */
  readonly routeP95: Recorded<string, string>;
}

export interface RedOptions {
  readonly service: Pick<Service, 'name' | 'description' | 'team'>;
  readonly http: HttpMetrics;
  /** The organisation's deployment dimensions: a variable for each, filtering every panel. */
  readonly dimensions: DashboardDimensions;
  readonly folder: Folder;
  readonly thresholds: RedThresholds;
  /**
   * The service's RED recording rules. Given, the rate, error and latency panels read them (the numbers
   * the alerts compare, and the build fails if a rule goes away); breakdowns the rules aggregate away
   * (status, instance) and exemplars still come from the raw metrics.
   */
  readonly recorded?: RedRecordings;
  /** Runbook of the service's alerts. */
  readonly runbook?: string;
  /**
   * The stream labels of the organisation's logs (the catalogue's `defineLogStreams`): the log panel
   * filters by the dashboard's variables among them (`$environment`, `$instance`, `$cluster` too when the
   * log agent adds it). Without them, by the dimensions the services' own series carry.
   */
  readonly logStreams?: Pick<LogStreams, 'labels'>;
}

/**
 * The service-wide and per-route RED series of each selected environment (never summed across them: a
 * staging error ratio is not production's), from recording rules or computed from the raw metrics.
 */
interface RedSeries {
  /** The label holding the route. */
  readonly route: string;
  /** How the rates are windowed, for panel descriptions. */
  readonly window: string;
  rate(byRoute?: boolean): InstantVector;
  errorRatio(byRoute?: boolean): InstantVector;
  latency(phi: number, byRoute?: boolean): InstantVector;
}

function rawSeries(q: HttpQueries, dimensions: DimensionScope): RedSeries {
  const by = (byRoute = false) => [...dimensions.carried, ...(byRoute ? [q.labels.route] : [])];
  return {
    route: q.labels.route,
    window: 'over the rate interval',
    rate: (byRoute) => q.rate(by(byRoute)),
    errorRatio: (byRoute) => q.errorRatio(by(byRoute)),
    latency: (phi, byRoute) => q.latency(phi, by(byRoute)),
  };
}

/** The quantile the `p95` recording rules hold. */
const RECORDED_QUANTILE = 0.95;

function recordedSeries(rules: RedRecordings, service: string, dimensions: DimensionScope): RedSeries {
  // Rules that keep a dimension are filtered by it; rules that sum it away cannot be.
  const mine = (recorded: RedRecordings[keyof RedRecordings]) =>
    dimensions.filter(recorded.select({ service }));
  const perEnvironment = dimensions.carried.filter((label) => rules.buckets.labels.includes(label));
  return {
    route: 'route',
    window: 'over 5 minutes, as the recording rules hold it (all instances)',
    rate: (byRoute) => mine(byRoute ? rules.requests : rules.serviceRequests),
    errorRatio: (byRoute) =>
      byRoute ? mine(rules.errors).div(mine(rules.requests)) : mine(rules.errorRatio),
    latency: (phi, byRoute) => {
      if (phi === RECORDED_QUANTILE) return mine(byRoute ? rules.routeP95 : rules.p95);
      const buckets = sum(mine(rules.buckets));
      return histogramQuantile(phi, buckets.by('le', ...perEnvironment, ...(byRoute ? ['route'] : [])));
    },
  };
}

/** The tag every dashboard of a service carries, so they can link to each other. */
export function serviceTag(service: { name: string }): string {
  return `service:${service.name}`;
}

/**
 * Rate, errors and duration of one service's HTTP traffic, by route and status, with the alert
 * thresholds drawn, exemplars on the raw latency graph, deployment markers and the service's logs.
 * Works for prom-client and OpenTelemetry naming alike: only `http` differs.
 */
export function redDashboard(options: RedOptions): Dashboard {
  // Every panel, query and variable below is the caller's line: found once (withSource says why).
  return withSource(captureSource(), () => assembleRedDashboard(options));
}

function assembleRedDashboard(options: RedOptions): Dashboard {
  const { service, http, folder, thresholds } = options;
  const { labels } = http;
  const dimensions = dimensionScope(
    options.dimensions,
    http.requests.select({ [labels.service]: service.name }),
  );
  const mine = <S extends Selector<LabelMap>>(metric: S): S =>
    dimensions.select(metric.select({ [labels.service]: service.name }) as S);
  const job = labelValues('job', mine(http.requests));
  const instance = labelValues('instance', mine(http.requests).select({ job: re(ref(job)) }));
  // The log panel filters by every variable whose label the streams carry (without a declaration of the
  // streams, by the dimensions the services' own series carry).
  const streams = options.logStreams;
  const logFilters = streams
    ? Object.entries({ ...dimensions.variableOf, job, instance }).filter(([label]) =>
        streams.labels.some((stream) => stream.name === label),
      )
    : dimensions.carried.map((label) => [label, dimensions.variableOf[label]!] as const);
  const q = new HttpQueries(
    http,
    (metric) => mine(metric).select({ job: re(ref(job)), instance: re(ref(instance)) }) as typeof metric,
  );
  const red = options.recorded
    ? recordedSeries(options.recorded, service.name, dimensions)
    : rawSeries(q, dimensions);
  /** A legend that also names the dimensions (`{{environment}}`) the query returns one series per value of. */
  const legend = (expr: InstantVector, ...parts: string[]) =>
    [
      ...parts,
      ...dimensions.carried.filter((label) => expr.labels.includes(label)).map((label) => `{{${label}}}`),
    ].join(' · ') || undefined;

  const board = new Dashboard(`${service.name} · RED`, captureSource())
    .folder(folder)
    .tags('red', serviceTag(service), `team:${service.team}`)
    .description(`Rate, errors and duration of ${service.name}: ${service.description}.`)
    .variables(...dimensions.variables, job, instance)
    .deployments('deployment', service.name)
    .linkTagged(serviceTag(service), `${service.name} dashboards`)
    .header([
      stat('Request rate')
        .description(`Requests per second ${red.window}, all routes, one value per selected environment.`)
        .unit(units.RequestsPerSecond)
        .query(red.rate(), legend(red.rate())),
      stat('Error ratio')
        .description(
          `Share of requests answered with a 5xx status ${red.window}. Red when the error-rate alert would fire.`,
        )
        .unit(units.PercentUnit)
        .query(red.errorRatio(), legend(red.errorRatio()))
        .threshold(thresholds.errorRatio),
      stat('p95 latency')
        .description(
          `95th percentile of request duration ${red.window}. Red when the latency alert would fire.`,
        )
        .unit(units.Seconds)
        .query(red.latency(0.95), legend(red.latency(0.95)))
        .threshold(thresholds.p95Latency),
      stat('p99 latency')
        .description('99th percentile of request duration: the slowest 1% of requests take longer.')
        .unit(units.Seconds)
        .query(red.latency(0.99), legend(red.latency(0.99))),
    ])
    .row('Rate', [
      timeseries('Requests by route')
        .description(`Requests per second per route pattern, ${red.window}.`)
        .unit(units.RequestsPerSecond)
        .query(red.rate(true), legend(red.rate(true), `{{${red.route}}}`)),
      timeseries('Requests by status')
        .description(
          'Requests per second per HTTP status code of the selected instances; 5xx count against availability.',
        )
        .unit(units.RequestsPerSecond)
        .stacked()
        .query(q.rate([labels.status]), `{{${labels.status}}}`),
    ])
    .row('Errors', [
      timeseries('Error ratio')
        .description(
          `Share of requests answered with a 5xx status ${red.window}; the dashed line is the alert threshold.`,
        )
        .unit(units.PercentUnit)
        .query(red.errorRatio(), legend(red.errorRatio(), 'errors'))
        .threshold(thresholds.errorRatio),
      timeseries('Error ratio by route')
        .description('Share of 5xx responses per route: which route fails.')
        .unit(units.PercentUnit)
        .query(red.errorRatio(true), legend(red.errorRatio(true), `{{${red.route}}}`)),
    ])
    .row('Duration', [
      timeseries('Latency percentiles')
        .description(`p50, p95 and p99 request duration ${red.window}. Dashed: the p95 alert threshold.`)
        .unit(units.Seconds)
        .query(red.latency(0.5), legend(red.latency(0.5), 'p50'))
        .query(red.latency(0.95), legend(red.latency(0.95), 'p95'))
        .query(red.latency(0.99), legend(red.latency(0.99), 'p99'))
        .threshold(thresholds.p95Latency),
      timeseries('p95 latency by route')
        .description('95th percentile of request duration per route.')
        .unit(units.Seconds)
        .query(red.latency(0.95, true), legend(red.latency(0.95, true), `{{${red.route}}}`))
        .threshold(thresholds.p95Latency),
      timeseries('p95 latency by instance')
        .description(
          'p95 request duration of each selected instance, from the raw histogram: one slow replica stands out, and exemplars open the trace.',
        )
        .unit(units.Seconds)
        .query(q.latency(0.95, ['instance']), '{{instance}}')
        .threshold(thresholds.p95Latency),
    ])
    .row('Logs', [
      logs('Service logs')
        .description(`Log lines of ${service.name} that match the dashboard's selection, newest first.`)
        .logql(
          `{${[
            `service="${service.name}"`,
            ...logFilters.map(([label, variable]) => `${label}=~"${ref(variable)}"`),
          ].join(', ')}}`,
        ),
    ]);
  if (options.runbook) board.runbook(options.runbook);
  return board;
}
