import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  histogramQuantile,
  type InstantVector,
  increase,
  type LabelMap,
  max,
  rate,
  re,
  type Selector,
  sum,
} from '@o11y/catalog';
import { captureSource } from '@o11y/core';
import { Dashboard } from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import { stat, timeseries } from '../builder/panels.ts';
import { labelValues, ref, type Variable } from '../builder/variables.ts';
import type { HttpMetrics } from './http.ts';

type Counter = Selector<LabelMap, 'counter'>;
type Gauge = Selector<LabelMap, 'gauge'>;

/** The window of the executive summary's revenue: revenue per hour. */
const HOUR = '1h';

/** `$environment` and `$service` (a service's scrape job is named after it), shared by the overviews. */
function overviewVariables(
  http: readonly HttpMetrics[],
  up: Gauge,
): { environment: Variable; service: Variable } {
  const first = http[0]!;
  return {
    environment: labelValues('environment', first.requests, { label: first.labels.environment }),
    service: labelValues('service', up, { label: 'job' }),
  };
}

/** Selects one convention's series of the chosen services and environments. */
function scoped<S extends Selector<LabelMap>>(metric: S, http: HttpMetrics): S {
  return metric.select({ [http.labels.environment]: re('$environment'), job: re('$service') }) as S;
}

/** Requests per second by service (scrape job), summed over one naming convention. */
function trafficBy(http: HttpMetrics, extra: Record<string, ReturnType<typeof re>> = {}): InstantVector {
  return sum(rate(scoped(http.requests, http).select(extra).range('$__rate_interval'))).by('job');
}

export interface SaturationMetrics {
  readonly cpuSeconds: Counter;
  readonly residentMemory: Gauge;
  readonly eventLoopLagP99: Gauge;
  readonly poolConnections: Gauge;
  readonly poolMaxConnections: Gauge;
}

/**
 * The four golden signals of every service, prom-client and OpenTelemetry alike (one query per naming
 * convention, legends by service): latency, traffic, errors and saturation (CPU, memory, event-loop
 * lag, database pool).
 */
export function goldenSignalsDashboard(options: {
  readonly http: readonly HttpMetrics[];
  readonly up: Gauge;
  readonly saturation: SaturationMetrics;
  readonly folder: Folder;
  readonly thresholds: {
    readonly errorRatio: number;
    readonly p95Latency: number;
    readonly poolUtilisation: number;
  };
}): Dashboard {
  const { http, saturation: s, thresholds } = options;
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
    const buckets = scoped(convention.duration.bucket, convention).range('$__rate_interval');
    latency.query(histogramQuantile(0.95, sum(rate(buckets)).by('le', 'job')), '{{job}}');
    traffic.query(trafficBy(convention), '{{job}}');
    errors.query(
      trafficBy(convention, { [convention.labels.status]: re('5..') }).div(trafficBy(convention)),
      '{{job}}',
    );
  }
  const process = <S extends Selector<LabelMap>>(metric: S): S =>
    metric.select({ job: re(ref(service)) }) as S;
  return new Dashboard('Golden signals', captureSource())
    .folder(options.folder)
    .tags('overview', 'golden-signals')
    .description('Latency, traffic, errors and saturation of every service.')
    .variables(environment, service)
    .linkTagged('red', 'RED dashboards')
    .row('Latency and traffic', [latency, traffic])
    .row('Errors', [errors])
    .row('Saturation', [
      timeseries('CPU')
        .description('CPU seconds used per second by each service (1 = one core).')
        .unit(units.Short)
        .query(sum(rate(process(s.cpuSeconds).range('$__rate_interval'))).by('job'), '{{job}}'),
      timeseries('Resident memory')
        .description('Resident memory of the largest process of each service.')
        .unit(units.BytesIEC)
        .query(max(process(s.residentMemory)).by('job'), '{{job}}'),
      timeseries('Event-loop lag p99')
        .description('99th percentile Node.js event-loop lag: time callbacks wait for the loop.')
        .unit(units.Seconds)
        .query(max(process(s.eventLoopLagP99)).by('job'), '{{job}}'),
      timeseries('Database pool utilisation')
        .description('Connections in use as a share of the pool size. Dashed: the pool alert threshold.')
        .unit(units.PercentUnit)
        .query(
          sum(process(s.poolConnections))
            .by('job')
            .div(sum(process(s.poolMaxConnections)).by('job')),
          '{{job}}',
        )
        .threshold(thresholds.poolUtilisation),
    ]);
}

export interface BusinessMetrics {
  readonly activeUsers: Gauge;
  readonly signups: Counter;
  readonly transactions: Counter;
  readonly orderProcessing: { readonly bucket: Counter };
  readonly apiUsage: Counter;
  readonly revenue: Counter;
}

/** Business KPIs from the services' custom metrics: users, sign-ups, transactions, orders, API usage, revenue. */
export function businessDashboard(options: {
  readonly metrics: BusinessMetrics;
  readonly folder: Folder;
  readonly thresholds: { readonly transactionFailureRatio: number; readonly premiumActiveUsers: number };
}): Dashboard {
  const { metrics: m, thresholds } = options;
  const environment = labelValues('environment', m.activeUsers);
  const env = <S extends Selector<LabelMap>>(metric: S): S =>
    metric.select({ environment: re(ref(environment)) }) as S;
  const perSecond = (metric: Counter, by: readonly string[]) =>
    sum(rate(env(metric).range('$__rate_interval'))).by(...by);
  const transactions = perSecond(m.transactions, ['outcome']);
  const failed = sum(
    rate(
      env(m.transactions)
        .select({ outcome: re('failed|declined') })
        .range('$__rate_interval'),
    ),
  );
  const allTransactions = sum(rate(env(m.transactions).range('$__rate_interval')));
  return new Dashboard('Business KPIs', captureSource())
    .folder(options.folder)
    .tags('business', 'overview')
    .description(
      'Users, sign-ups, transactions, orders, API usage and revenue, from the services’ business metrics.',
    )
    .variables(environment)
    .header([
      stat('Active users')
        .description('Users with a session active in the last 5 minutes.')
        .unit(units.Short)
        .query(sum(env(m.activeUsers))),
      stat('Premium users active')
        .description(
          'Active premium users; red below the alert threshold (few premium users usually means login trouble).',
        )
        .unit(units.Short)
        .query(sum(env(m.activeUsers).select({ plan: 'premium' })))
        .threshold(thresholds.premiumActiveUsers, { when: 'below' }),
      stat('Revenue in range')
        .description('Revenue of confirmed orders over the selected time range, per currency.')
        .unit(units.Short)
        .query(sum(increase(env(m.revenue).range('$__range'))).by('currency'), '{{currency}}'),
      stat('Transaction failure ratio')
        .description('Share of payment transactions failed or declined. Red above the alert threshold.')
        .unit(units.PercentUnit)
        .query(failed.div(allTransactions))
        .threshold(thresholds.transactionFailureRatio),
    ])
    .row('Users', [
      timeseries('Active users by plan')
        .description('Active users per plan.')
        .unit(units.Short)
        .query(sum(env(m.activeUsers)).by('plan'), '{{plan}}'),
      timeseries('Sign-ups by channel')
        .description('Completed sign-ups per second, per channel.')
        .unit(units.OpsPerSecond)
        .query(perSecond(m.signups, ['channel']), '{{channel}}'),
    ])
    .row('Transactions and orders', [
      timeseries('Transactions by outcome')
        .description('Payment transactions per second, by outcome.')
        .unit(units.OpsPerSecond)
        .stacked()
        .query(transactions, '{{outcome}}'),
      timeseries('Transaction failure ratio')
        .description('Share of payment transactions failed or declined. Dashed: the alert threshold.')
        .unit(units.PercentUnit)
        .query(failed.div(allTransactions), 'failed or declined')
        .threshold(thresholds.transactionFailureRatio),
      timeseries('Order processing time p95')
        .description('95th percentile time from order placement to confirmation, by outcome.')
        .unit(units.Seconds)
        .query(
          histogramQuantile(
            0.95,
            sum(rate(env(m.orderProcessing.bucket).range('$__rate_interval'))).by('le', 'outcome'),
          ),
          '{{outcome}}',
        ),
    ])
    .row('API and revenue', [
      timeseries('API usage by plan')
        .description('Public API calls per second, by customer plan.')
        .unit(units.RequestsPerSecond)
        .query(perSecond(m.apiUsage, ['plan']), '{{plan}}'),
      timeseries('Revenue by currency')
        .description('Revenue of confirmed orders per second, by currency (units of the currency).')
        .unit(units.Short)
        .query(perSecond(m.revenue, ['currency']), '{{currency}}'),
    ]);
}

/**
 * One page for leadership: availability of every service over the range, traffic, active users,
 * revenue and the error budget of every SLO.
 */
export function executiveSummaryDashboard(options: {
  readonly http: readonly HttpMetrics[];
  readonly up: Gauge;
  readonly business: Pick<BusinessMetrics, 'activeUsers' | 'revenue'>;
  readonly slos: readonly {
    readonly service: string;
    readonly name: string;
    readonly errorBudgetRemaining: InstantVector;
  }[];
  readonly folder: Folder;
  readonly thresholds: { readonly availability: number };
}): Dashboard {
  const { http, business } = options;
  const { environment, service } = overviewVariables(http, options.up);
  const availability = stat('Availability over the range')
    .description('Share of requests not answered with a 5xx status over the selected range, per service.')
    .unit(units.PercentUnit)
    .span(24, 6)
    .threshold(options.thresholds.availability, { when: 'below' });
  const traffic = timeseries('Requests')
    .description('Requests per second, all services.')
    .unit(units.RequestsPerSecond);
  for (const convention of http) {
    const total = sum(increase(scoped(convention.requests, convention).range('$__range'))).by('job');
    const failed = sum(
      increase(
        scoped(convention.requests, convention)
          .select({ [convention.labels.status]: re('5..') })
          .range('$__range'),
      ),
    ).by('job');
    availability.query(failed.div(total).negate().plus(1), '{{job}}');
    traffic.query(
      sum(rate(scoped(convention.requests, convention).range('$__rate_interval'))),
      convention.requests.series.name,
    );
  }
  const board = new Dashboard('Executive summary', captureSource())
    .folder(options.folder)
    .tags('overview', 'executive')
    .description('Availability, traffic, users, revenue and error budgets at a glance.')
    .time('now-7d')
    .variables(environment, service)
    .linkTagged('overview', 'Overviews')
    .header([availability])
    .row('Business', [
      traffic,
      timeseries('Active users')
        .description('Users with a session active in the last 5 minutes.')
        .unit(units.Short)
        .query(sum(business.activeUsers.select({ environment: re(ref(environment)) })), 'active users'),
      timeseries('Revenue')
        .description('Revenue of confirmed orders per hour, by currency: each point sums the hour before it.')
        .unit(units.Short)
        .query(
          sum(increase(business.revenue.select({ environment: re(ref(environment)) }).range(HOUR))).by(
            'currency',
          ),
          '{{currency}}',
          // An amount per hour, whatever the zoom: a fixed window, not $__rate_interval.
          { fixedWindow: HOUR },
        ),
    ]);
  if (options.slos.length === 0) return board;
  const budgets = stat('SLO error budgets')
    .description('Share of each SLO’s error budget left in its period; red once spent.')
    .unit(units.PercentUnit)
    .span(24, 6)
    .threshold(0, { when: 'below' });
  for (const slo of options.slos)
    budgets.query(slo.errorBudgetRemaining, `${slo.service} ${slo.name}` as string);
  return board.row('Reliability', [budgets]);
}
