import { counter, gauge, histogram, label } from '@o11y/catalog';
import { plans } from './app.ts';
import { exposedBy } from './exposure.ts';
import { services } from './services.ts';

/** Business metrics, each registered by the one service that owns the fact. */
const auth = exposedBy(services.filter((s) => s.name === 'auth'));
const users = exposedBy(services.filter((s) => s.name === 'users'));
const payments = exposedBy(services.filter((s) => s.name === 'payments'));
const orders = exposedBy(services.filter((s) => s.name === 'orders'));
const gateway = exposedBy(services.filter((s) => s.name === 'api-gateway'));

export const currencies = ['EUR', 'USD', 'GBP'] as const;
export const channels = ['web', 'ios', 'android', 'api'] as const;

export const activeUsers = gauge('active_users', {
  help: 'Users with a session active in the last 5 minutes, by plan.',
  unit: 'users',
  jobs: auth.jobs,
  jointCaps: auth.jointCaps,
  labels: { ...auth.defaultLabels, plan: label.values(plans) },
});

export const userSignupsTotal = counter('user_signups_total', {
  help: 'Completed sign-ups by channel.',
  unit: 'users',
  jobs: users.jobs,
  jointCaps: users.jointCaps,
  labels: { ...users.defaultLabels, channel: label.values(channels) },
});

export const transactionsTotal = counter('transactions_total', {
  help: 'Payment transactions by type, method and outcome.',
  unit: 'transactions',
  jobs: payments.jobs,
  jointCaps: payments.jointCaps,
  labels: {
    ...payments.defaultLabels,
    type: label.values(['authorization', 'capture', 'refund']),
    payment_method: label.values(['card', 'paypal', 'bank_transfer', 'wallet']),
    outcome: label.values(['succeeded', 'failed', 'declined']),
  },
});

export const orderProcessingDurationSeconds = histogram('order_processing_duration_seconds', {
  help: 'Time from order placement to confirmation in seconds.',
  unit: 'seconds',
  jobs: orders.jobs,
  jointCaps: orders.jointCaps,
  labels: { ...orders.defaultLabels, outcome: label.values(['confirmed', 'cancelled', 'failed']) },
  buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
});

export const apiUsageTotal = counter('api_usage_total', {
  help: 'Public API calls by customer plan and API version.',
  unit: 'requests',
  jobs: gateway.jobs,
  jointCaps: gateway.jointCaps,
  labels: { ...gateway.defaultLabels, plan: label.values(plans), api_version: label.values(['v1', 'v2']) },
});

export const revenueTotal = counter('revenue_total', {
  help: 'Revenue of confirmed orders, in units of the currency.',
  unit: 'currency',
  jobs: orders.jobs,
  jointCaps: orders.jointCaps,
  labels: { ...orders.defaultLabels, currency: label.values(currencies), channel: label.values(channels) },
});
