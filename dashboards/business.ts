import * as units from '@grafana/grafana-foundation-sdk/units';
import { histogramQuantile, increase, type LabelMap, rate, re, type Selector, sum } from '@o11y/catalog';
import { dashboard, dimensionScope, stat, timeseries } from '@o11y/dashboards';
import {
  activeUsers,
  apiUsageTotal,
  dimensions,
  orderProcessingDurationSeconds,
  revenueTotal,
  transactionsTotal,
  userSignupsTotal,
} from '../catalog/index.ts';
import { PREMIUM_ACTIVE_USERS_MIN, TRANSACTION_FAILURE_RATE } from '../rules/thresholds.ts';
import { overviewFolder } from './folders.ts';

const chosen = dimensionScope(dimensions, activeUsers);
const env = <S extends Selector<LabelMap>>(metric: S): S => chosen.select(metric);
const perSecond = (metric: Selector<LabelMap, 'counter'>, by: readonly string[]) =>
  sum(rate(env(metric).range('$__rate_interval'))).by(...by);
const transactions = perSecond(transactionsTotal, ['outcome']);
const failed = sum(
  rate(
    env(transactionsTotal)
      .select({ outcome: re('failed|declined') })
      .range('$__rate_interval'),
  ),
);
const allTransactions = sum(rate(env(transactionsTotal).range('$__rate_interval')));

/** Business KPIs from the services' business metrics: users, sign-ups, transactions, orders, API usage, revenue. */
export const businessKpis = dashboard('Business KPIs')
  .folder(overviewFolder)
  .tags('business', 'overview')
  .description(
    'Users, sign-ups, transactions, orders, API usage and revenue, from the services’ business metrics.',
  )
  .variables(...chosen.variables)
  .header([
    stat('Active users')
      .description('Users with a session active in the last 5 minutes.')
      .unit(units.Short)
      .query(sum(env(activeUsers))),
    stat('Premium users active')
      .description(
        'Active premium users; red below the alert threshold (few premium users usually means login trouble).',
      )
      .unit(units.Short)
      .query(sum(env(activeUsers).select({ plan: 'premium' })))
      .threshold(PREMIUM_ACTIVE_USERS_MIN, { when: 'below' }),
    stat('Revenue in range')
      .description('Revenue of confirmed orders over the selected time range, per currency.')
      .unit(units.Short)
      .query(sum(increase(env(revenueTotal).range('$__range'))).by('currency'), '{{currency}}'),
    stat('Transaction failure ratio')
      .description('Share of payment transactions failed or declined. Red above the alert threshold.')
      .unit(units.PercentUnit)
      .query(failed.div(allTransactions))
      .threshold(TRANSACTION_FAILURE_RATE),
  ])
  .row('Users', [
    timeseries('Active users by plan')
      .description('Active users per plan.')
      .unit(units.Short)
      .query(sum(env(activeUsers)).by('plan'), '{{plan}}'),
    timeseries('Sign-ups by channel')
      .description('Completed sign-ups per second, per channel.')
      .unit(units.OpsPerSecond)
      .query(perSecond(userSignupsTotal, ['channel']), '{{channel}}'),
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
      .threshold(TRANSACTION_FAILURE_RATE),
    timeseries('Order processing time p95')
      .description('95th percentile time from order placement to confirmation, by outcome.')
      .unit(units.Seconds)
      .query(
        histogramQuantile(
          0.95,
          sum(rate(env(orderProcessingDurationSeconds.bucket).range('$__rate_interval'))).by('le', 'outcome'),
        ),
        '{{outcome}}',
      ),
  ])
  .row('API and revenue', [
    timeseries('API usage by plan')
      .description('Public API calls per second, by customer plan.')
      .unit(units.RequestsPerSecond)
      .query(perSecond(apiUsageTotal, ['plan']), '{{plan}}'),
    timeseries('Revenue by currency')
      .description('Revenue of confirmed orders per second, by currency (units of the currency).')
      .unit(units.Short)
      .query(perSecond(revenueTotal, ['currency']), '{{currency}}'),
  ]);
