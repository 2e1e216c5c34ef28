import { type AlertLabels, alertmanagerTests } from '@o11y/alertmanager';
import {
  alertsChannel,
  config,
  infoChannel,
  infrastructureDiscord,
  oncallPager,
  paymentsEmail,
  sloTickets,
  unrouted,
} from './config.ts';
import type { OrgAlertLabels } from './labels.ts';

type Alert = AlertLabels<OrgAlertLabels>;

const ordersErrors: Alert = {
  alertname: 'HighErrorRate',
  severity: 'critical',
  team: 'commerce',
  service: 'orders',
};
const ordersErrorsWarning: Alert = { ...ordersErrors, severity: 'warning' };
const paymentsErrors: Alert = {
  alertname: 'HighErrorRate',
  severity: 'critical',
  team: 'payments',
  service: 'payments',
};
const paymentsSloPage: Alert = {
  alertname: 'SLOBurnRateTooHigh',
  severity: 'critical',
  team: 'payments',
  service: 'payments',
  slo: 'payments-availability',
  slo_severity: 'page',
};
const paymentsSloTicket: Alert = { ...paymentsSloPage, severity: 'warning', slo_severity: 'ticket' };

/** Where the organisation's alerts go, and which alerts silence which; run by `o11y test`. */
export const routingTests = alertmanagerTests(config)
  .routes('a critical alert pages and posts to #alerts', ordersErrors, [oncallPager, alertsChannel])
  .routes('a warning posts to #alerts only', { ...ordersErrorsWarning, alertname: 'HighLatency' }, [
    alertsChannel,
  ])
  .routes(
    'an info alert posts to #alerts-info',
    { alertname: 'CertificateExpiresSoon', severity: 'info', team: 'platform', service: 'api-gateway' },
    [infoChannel],
  )
  .routes('the payments team gets every alert of theirs by e-mail too', paymentsErrors, [
    paymentsEmail,
    oncallPager,
    alertsChannel,
  ])
  .routes('a payments warning is e-mailed and posted', { ...paymentsErrors, severity: 'warning' }, [
    paymentsEmail,
    alertsChannel,
  ])
  .routes(
    'infrastructure alerts go to Discord too',
    { alertname: 'PostgresReplicationLag', severity: 'warning', team: 'infrastructure' },
    [infrastructureDiscord, alertsChannel],
  )
  .routes(
    'an SLO page alert pages',
    { ...paymentsSloPage, team: 'commerce', service: 'orders', slo: 'orders-availability' },
    [oncallPager],
  )
  .routes('an SLO page alert of payments pages and e-mails', paymentsSloPage, [paymentsEmail, oncallPager])
  .routes(
    'an SLO ticket alert posts to #slo-tickets',
    { ...paymentsSloTicket, team: 'identity', service: 'auth', slo: 'auth-latency' },
    [sloTickets],
  )
  .routes(
    'an alert without severity reaches the default receiver',
    { alertname: 'Unlabelled', team: 'commerce' },
    [unrouted],
  )
  .inhibits('a critical alert mutes the warning of the same alert and service', {
    firing: ordersErrors,
    target: ordersErrorsWarning,
  })
  .inhibits('an SLO page alert mutes the ticket alert of the same SLO', {
    firing: paymentsSloPage,
    target: paymentsSloTicket,
  })
  .doesNotInhibit('a critical alert does not mute warnings of another service', {
    firing: ordersErrors,
    target: { ...ordersErrorsWarning, service: 'cart' },
  })
  .doesNotInhibit('a critical alert does not mute other warnings of its service', {
    firing: ordersErrors,
    target: { ...ordersErrorsWarning, alertname: 'HighLatency' },
  })
  .doesNotInhibit('a warning never mutes a critical alert', {
    firing: ordersErrorsWarning,
    target: ordersErrors,
  });
