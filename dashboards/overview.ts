import * as units from '@grafana/grafana-foundation-sdk/units';
import { increase, max, rate, re, sum } from '@o11y/catalog';
import {
  dashboard,
  EVERY_SLO,
  goldenSignalsDashboard,
  overviewVariables,
  sloLegend,
  sloOverviewDashboard,
  slosOfBuild,
  stat,
  timeseries,
} from '@o11y/dashboards';
import * as catalog from '../catalog/index.ts';
import { API_ERROR_RATE, DB_POOL_USAGE, P95_LATENCY_SECONDS } from '../rules/thresholds.ts';
import { overviewFolder } from './folders.ts';

const http = [catalog.httpConventions['prom-client'], catalog.httpConventions.otel];

/** The window of the executive summary's revenue: revenue per hour. */
const HOUR = '1h';

export const goldenSignals = goldenSignalsDashboard({
  http,
  up: catalog.up,
  dimensions: catalog.dimensions,
  folder: overviewFolder,
  thresholds: { errorRatio: API_ERROR_RATE, p95Latency: P95_LATENCY_SECONDS },
  // What saturates a Node.js service here: CPU, memory, the event loop and the database pool.
  saturation: (byService) => [
    timeseries('CPU')
      .description('CPU seconds used per second by each service (1 = one core).')
      .unit(units.Short)
      .query(
        sum(rate(byService(catalog.processCpuSecondsTotal).range('$__rate_interval'))).by('job'),
        '{{job}}',
      ),
    timeseries('Resident memory')
      .description('Resident memory of the largest process of each service.')
      .unit(units.BytesIEC)
      .query(max(byService(catalog.processResidentMemoryBytes)).by('job'), '{{job}}'),
    timeseries('Event-loop lag p99')
      .description('99th percentile Node.js event-loop lag: time callbacks wait for the loop.')
      .unit(units.Seconds)
      .query(max(byService(catalog.nodejsEventloopLagP99Seconds)).by('job'), '{{job}}'),
    timeseries('Database pool utilisation')
      .description('Connections in use as a share of the pool size. Dashed: the pool alert threshold.')
      .unit(units.PercentUnit)
      .query(
        sum(byService(catalog.dbPoolConnections))
          .by('job')
          .div(sum(byService(catalog.dbPoolMaxConnections)).by('job')),
        '{{job}}',
      )
      .threshold(DB_POOL_USAGE),
  ],
});

const overview = overviewVariables(http, catalog.up, catalog.dimensions);
/** The dimension values the variables choose; business numbers are the shop's, whichever `$service` shows. */
const chosen = overview.dimensions;
const availability = stat('Availability over the range')
  .description('Share of requests not answered with a 5xx status over the selected range, per service.')
  .unit(units.PercentUnit)
  .span(24, 6)
  .threshold(1 - API_ERROR_RATE, { when: 'below' });
const traffic = timeseries('Requests')
  .description('Requests per second, all services.')
  .unit(units.RequestsPerSecond);
for (const convention of http) {
  const requests = overview.scope(convention.requests);
  const total = sum(increase(requests.range('$__range'))).by('job');
  const failed = sum(
    increase(requests.select({ [convention.labels.status]: re('5..') }).range('$__range')),
  ).by('job');
  availability.query(failed.div(total).negate().plus(1), '{{job}}');
  traffic.query(sum(rate(requests.range('$__rate_interval'))), convention.requests.series.name);
}
const budgets = stat('SLO error budgets')
  .description('Share of each SLO’s error budget left in its period; red once spent.')
  .unit(units.PercentUnit)
  .span(24, 6)
  .threshold(0, { when: 'below' });

/** One page for leadership: availability of every service, traffic, active users, revenue and every SLO's error budget. */
export const executiveSummary = dashboard('Executive summary')
  .folder(overviewFolder)
  .tags('overview', 'executive')
  .description('Availability, traffic, users, revenue and error budgets at a glance.')
  .time('now-7d')
  .variables(...overview.variables)
  .linkTagged('overview', 'Overviews')
  .header([availability])
  .row('Business', [
    traffic,
    timeseries('Active users')
      .description('Users with a session active in the last 5 minutes.')
      .unit(units.Short)
      .query(sum(chosen.select(catalog.activeUsers)), 'active users'),
    timeseries('Revenue')
      .description('Revenue of confirmed orders per hour, by currency: each point sums the hour before it.')
      .unit(units.Short)
      .query(
        sum(increase(chosen.select(catalog.revenueTotal).range(HOUR))).by('currency'),
        '{{currency}}',
        // An amount per hour, whatever the zoom: a fixed window, not $__rate_interval.
        { fixedWindow: HOUR },
      ),
  ])
  .row('Reliability', [budgets])
  // Every SLO the build collects, whichever module defines it.
  .fromBuild((definitions) => {
    for (const slo of slosOfBuild(definitions))
      budgets.query(chosen.filter(slo.errorBudgetRemaining), sloLegend(slo, `${slo.service} ${slo.name}`));
  });

/** Error budgets and burn rates of every SLO the build collects. */
export const sloOverview = sloOverviewDashboard(EVERY_SLO, {
  folder: overviewFolder,
  dimensions: catalog.dimensions,
});
