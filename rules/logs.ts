import { lokiAlert, lokiRecord, lokiRuleGroup } from '@o11y/rules';
import { services } from '../catalog/index.ts';
import { ERROR_LOG_LINES_5M, PAYMENT_FAILURE_LOG_LINES_10M, RUNBOOKS } from './thresholds.ts';

/**
 * Alerts Loki's ruler evaluates on our services' logs: what metrics miss (an error logged without a 5xx,
 * a payment failure the provider reports only in its answer). Our services log JSON lines with `level`
 * and, for payments, `event`. Routed by the same Alertmanager routes as the Prometheus alerts (team,
 * severity, environment).
 */
const errorLines = (service: string, range: string) =>
  `count_over_time({service="${service}", environment=~".+"} | json | level="error" [${range}])`;

/** Per service: a burst of error lines, owned by the service's team. */
export const errorLogBursts = services.map((service) =>
  lokiAlert('ErrorLogBurst', {
    team: service.team,
    labels: { service: service.name },
    expr: `sum by (environment) (${errorLines(service.name, '5m')}) > ${ERROR_LOG_LINES_5M}`,
    for: '5m',
    severity: 'warning',
    summary: `${service.name} logs a burst of errors`,
    description: `${service.name} logged {{ $value }} error lines in 5 minutes (more than ${ERROR_LOG_LINES_5M}); look at its logs for the cause.`,
    runbookUrl: `${RUNBOOKS}/ErrorLogBurst`,
  }),
);

/** Error lines per service, recorded so dashboards and SLO reviews can chart them as a metric. */
export const errorLogRate = lokiRecord(
  'service:log_error_lines:rate5m',
  `sum by (service, environment) (rate({service=~".+", environment=~".+"} | json | level="error" [5m]))`,
);

const payments = services.find((s) => s.name === 'payments')!;

export const paymentFailuresLogged = lokiAlert('PaymentFailuresLogged', {
  team: payments.team,
  labels: { service: payments.name },
  expr: `sum by (environment) (count_over_time({service="payments", environment=~".+"} | json | event="payment_failed" [10m])) > ${PAYMENT_FAILURE_LOG_LINES_10M}`,
  for: '5m',
  severity: 'critical',
  summary: 'Payments log failed payments',
  description: `The payments service logged {{ $value }} failed payments in 10 minutes (more than ${PAYMENT_FAILURE_LOG_LINES_10M}): check the payment provider's answers in its logs.`,
  runbookUrl: `${RUNBOOKS}/PaymentFailuresLogged`,
});

export const serviceLogRules = lokiRuleGroup('service-logs', {
  namespace: 'services',
  interval: '1m',
  rules: [errorLogRate, ...errorLogBursts, paymentFailuresLogged],
});
