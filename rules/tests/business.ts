import { constant, fires, linear, ruleTests, series, silent, testCase } from '@o11y/rules';
import { activeUsers, transactionsTotal } from '../../catalog/index.ts';
import { businessAlerts, fewPremiumUsersActive, transactionFailureRateHigh } from '../business.ts';
import { PREMIUM_ACTIVE_USERS_MIN, TRANSACTION_FAILURE_RATE } from '../thresholds.ts';

const MINUTES = 40;
const auth = { service: 'auth', environment: 'production', job: 'auth', instance: 'auth-1:3000' } as const;
const payments = {
  service: 'payments',
  environment: 'production',
  job: 'payments',
  instance: 'payments-1:3000',
} as const;

function business(premiumUsers: number, failureRatio: number) {
  const card = { ...payments, type: 'capture', payment_method: 'card' } as const;
  return [
    series(activeUsers, { ...auth, plan: 'premium' }, constant(premiumUsers, MINUTES)),
    series(activeUsers, { ...auth, plan: 'free' }, constant(500, MINUTES)),
    series(
      transactionsTotal,
      { ...card, outcome: 'succeeded' },
      linear(0, 100 * (1 - failureRatio), MINUTES),
    ),
    series(transactionsTotal, { ...card, outcome: 'failed' }, linear(0, 100 * failureRatio, MINUTES)),
    // Declines are the customer's business and must not count as failures.
    series(transactionsTotal, { ...card, outcome: 'declined' }, linear(0, 50, MINUTES)),
  ];
}

const healthy = business(PREMIUM_ACTIVE_USERS_MIN * 10, TRANSACTION_FAILURE_RATE / 5);

export const businessTests = ruleTests('business', {
  rules: [businessAlerts],
  tests: [
    testCase('business: healthy numbers fire nothing', {
      interval: '1m',
      input: healthy,
      alerts: [silent(fewPremiumUsersActive, '40m'), silent(transactionFailureRateHigh, '40m')],
    }),
    testCase('business: premium users vanish', {
      interval: '1m',
      input: business(PREMIUM_ACTIVE_USERS_MIN - 2, TRANSACTION_FAILURE_RATE / 5),
      alerts: [
        silent(fewPremiumUsersActive, '10m'),
        fires(fewPremiumUsersActive, '20m', [{ labels: { environment: 'production' } }]),
      ],
    }),
    testCase('business: payment transactions fail', {
      interval: '1m',
      input: business(PREMIUM_ACTIVE_USERS_MIN * 10, TRANSACTION_FAILURE_RATE * 2),
      alerts: [
        silent(transactionFailureRateHigh, '5m'),
        fires(transactionFailureRateHigh, '25m', [{ labels: { environment: 'production' } }]),
      ],
    }),
  ],
});
