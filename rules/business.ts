import { rate, sum } from '@o11y/catalog';
import { alert, ruleGroup } from '@o11y/rules';
import { activeUsers, services, transactionsTotal } from '../catalog/index.ts';
import { PREMIUM_ACTIVE_USERS_MIN, RUNBOOKS, TRANSACTION_FAILURE_RATE } from './thresholds.ts';

const owner = (name: string) => {
  const service = services.find((s) => s.name === name)!;
  return { team: service.team, labels: { service: service.name } };
};

export const fewPremiumUsersActive = alert('FewPremiumUsersActive', {
  ...owner('auth'),
  // Staging has no customers: only production's count means something.
  expr: sum(activeUsers.select({ plan: 'premium', environment: 'production' }))
    .by('environment')
    .lt(PREMIUM_ACTIVE_USERS_MIN),
  for: '15m',
  severity: 'warning',
  summary: `Fewer than ${PREMIUM_ACTIVE_USERS_MIN} premium users are active`,
  description: `Fewer than ${PREMIUM_ACTIVE_USERS_MIN} premium users have had an active session for 15 minutes: login or billing may be broken for paying customers.`,
  runbookUrl: `${RUNBOOKS}/FewPremiumUsersActive`,
});

const transactions = sum(rate(transactionsTotal.range('10m'))).by('environment');
const failed = sum(rate(transactionsTotal.select({ outcome: 'failed' }).range('10m'))).by('environment');

export const transactionFailureRateHigh = alert('TransactionFailureRateHigh', {
  ...owner('payments'),
  // Declined cards are the customer's business; failed transactions are ours.
  expr: failed.or(transactions.times(0)).div(transactions.gt(0)).gt(TRANSACTION_FAILURE_RATE),
  for: '10m',
  severity: 'critical',
  summary: `More than ${TRANSACTION_FAILURE_RATE * 100}% of payment transactions fail`,
  description: `More than ${TRANSACTION_FAILURE_RATE * 100}% of payment transactions failed over the last 10 minutes (declines not counted): check the payment provider.`,
  runbookUrl: `${RUNBOOKS}/TransactionFailureRateHigh`,
});

export const businessAlerts = ruleGroup('business-alerts', {
  file: 'business',
  rules: [fewPremiumUsersActive, transactionFailureRateHigh],
});
