import { type AlertLabels, alertmanagerTests } from '@o11y/alertmanager';
import { captureSource, O11yError } from '@o11y/core';
import type { AlertingRule, LokiAlertingRule } from '@o11y/rules';
import type { Environment, ServiceName } from '../catalog/services.ts';
import { transactionFailureRateHigh } from '../rules/business.ts';
import { postgresReplicationLag } from '../rules/infrastructure.ts';
import { errorLogBursts, paymentFailuresLogged } from '../rules/logs.ts';
import { serviceRules } from '../rules/services.ts';
import { sloOf } from '../rules/slos.ts';
import {
  alertsChannel,
  config,
  infrastructureDiscord,
  oncallPager,
  paymentsEmail,
  sloTickets,
  stagingChannel,
} from './config.ts';
import type { OrgAlertLabels } from './labels.ts';

type Alert = AlertLabels<OrgAlertLabels>;

/**
 * The labels an alerting rule fires with in an environment (when its series carry one),
 * taken from the rule itself so a case follows it. The rule's labels are a plain record; `o11y build`
 * checks each case against dist/prometheus/alerts.json.
 */
function firing(rule: AlertingRule | LokiAlertingRule, environment: Environment = 'production'): Alert {
  const kept = ('keptLabels' in rule ? (rule.keptLabels ?? []) : rule.expr.labels).includes('environment');
  return { alertname: rule.name, ...rule.labels, ...(kept && { environment }) } as Alert;
}

function missing(what: string): never {
  throw new O11yError(`the Alertmanager tests use ${what}, which the rules do not define`, {
    source: captureSource(),
    id: 'alertmanager/test-alert',
    hint: 'test an alert the rules define',
  });
}

function serviceAlert(service: ServiceName, name: string, environment?: Environment): Alert {
  const rule = serviceRules.find((s) => s.service.name === service)?.alerts[name];
  return rule ? firing(rule, environment) : missing(`alert ${name} of ${service}`);
}

function sloAlert(
  service: ServiceName,
  slo: 'availability' | 'latency',
  kind: 'page' | 'ticket',
  environment?: Environment,
): Alert {
  const rule = sloOf(service, slo).alerts[kind];
  return rule ? firing(rule, environment) : missing(`the ${kind} alert of the ${service} ${slo} SLO`);
}

function errorLogBurstOf(service: ServiceName): LokiAlertingRule {
  return (
    errorLogBursts.find((rule) => rule.labels.service === service) ??
    missing(`the error-log burst alert of ${service}`)
  );
}

const ordersDown = serviceAlert('orders', 'TargetDown');
const ordersSlow = serviceAlert('orders', 'HighLatency');
const paymentsDown = serviceAlert('payments', 'TargetDown');
const paymentsErrors = serviceAlert('payments', 'HighErrorRate');
const paymentsSloPage = sloAlert('payments', 'availability', 'page');
const paymentsSloTicket = sloAlert('payments', 'availability', 'ticket');
const ordersSloPage = sloAlert('orders', 'availability', 'page');
const ordersSloTicket = sloAlert('orders', 'availability', 'ticket');

/** Where the organisation's alerts go, and which alerts silence which; run by `o11y test`. */
export const routingTests = alertmanagerTests(config)
  .routes('a critical alert pages and posts to #alerts', ordersDown, [oncallPager, alertsChannel])
  .routes('a warning posts to #alerts only', ordersSlow, [alertsChannel])
  .routes('the payments team gets every alert of theirs by e-mail too', paymentsDown, [
    paymentsEmail,
    oncallPager,
    alertsChannel,
  ])
  .routes('a critical business alert of payments pages', firing(transactionFailureRateHigh), [
    paymentsEmail,
    oncallPager,
    alertsChannel,
  ])
  .routes('a payments warning is e-mailed and posted', paymentsErrors, [paymentsEmail, alertsChannel])
  .routes('infrastructure alerts go to Discord too', firing(postgresReplicationLag), [
    infrastructureDiscord,
    alertsChannel,
  ])
  .routes(
    'payment failures in the logs page, and reach the payments team by e-mail',
    firing(paymentFailuresLogged),
    [paymentsEmail, oncallPager, alertsChannel],
  )
  .routes(
    'an error-log burst of a staging service posts to #alerts-staging only',
    firing(errorLogBurstOf('orders'), 'staging'),
    [stagingChannel],
  )
  .routes('an SLO page alert pages', ordersSloPage, [oncallPager])
  .routes('an SLO page alert of payments pages and e-mails', paymentsSloPage, [paymentsEmail, oncallPager])
  .routes('an SLO ticket alert posts to #slo-tickets', sloAlert('auth', 'latency', 'ticket'), [sloTickets])
  .routes(
    'an error-rate alert of staging posts to #alerts-staging only',
    serviceAlert('orders', 'HighErrorRate', 'staging'),
    [stagingChannel],
  )
  .routes(
    'a staging instance that is down posts to #alerts-staging only: it pages no one',
    serviceAlert('orders', 'TargetDown', 'staging'),
    [stagingChannel],
  )
  .routes(
    'a payments alert of staging reaches neither the payments e-mail nor the pager',
    firing(transactionFailureRateHigh, 'staging'),
    [stagingChannel],
  )
  .routes(
    'a ticket of a staging SLO goes to the staging channel, not to #slo-tickets',
    sloAlert('payments', 'availability', 'ticket', 'staging'),
    [stagingChannel],
  )
  .inhibits('an SLO page alert mutes the ticket alert of the same SLO', {
    firing: ordersSloPage,
    target: ordersSloTicket,
  })
  .inhibits('a payments SLO page mutes its ticket, e-mail included', {
    firing: paymentsSloPage,
    target: paymentsSloTicket,
  })
  .doesNotInhibit('a critical alert does not mute other warnings of its service', {
    firing: ordersDown,
    target: ordersSlow,
  })
  .doesNotInhibit('an SLO page does not mute the tickets of another service', {
    firing: ordersSloPage,
    target: sloAlert('cart', 'availability', 'ticket'),
  })
  .doesNotInhibit('a production SLO page does not mute the staging ticket of that SLO', {
    firing: ordersSloPage,
    target: sloAlert('orders', 'availability', 'ticket', 'staging'),
  })
  .doesNotInhibit('a ticket never mutes the page of its SLO', {
    firing: ordersSloTicket,
    target: ordersSloPage,
  });
