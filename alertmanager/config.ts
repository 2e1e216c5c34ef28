import { readFileSync } from 'node:fs';
import { alertmanager, receiver, secret, timeInterval } from '@o11y/alertmanager';
import type { OrgAlertLabels } from './labels.ts';

/** Every chat message uses the templates of templates/notifications.tmpl. */
const message = { title: '{{ template "o11y.title" . }}', text: '{{ template "o11y.text" . }}' };

/** Alerts no route claims land here; the routing coverage test fails for any alert that would. */
export const unrouted = receiver('slack-unrouted').slack({
  ...message,
  channel: '#alerts-unrouted',
  sendResolved: true,
});

export const oncallPager = receiver('pagerduty-oncall').pagerduty({
  routingKey: secret.env('PAGERDUTY_ROUTING_KEY'),
  description: message.title,
  severity: '{{ if eq .CommonLabels.severity "critical" }}critical{{ else }}warning{{ end }}',
  sendResolved: true,
});

export const alertsChannel = receiver('slack-alerts').slack({
  ...message,
  channel: '#alerts',
  sendResolved: true,
});

/** Staging's alerts, whatever their severity: a channel to look at during the day, never a pager. */
export const stagingChannel = receiver('slack-staging').slack({
  ...message,
  channel: '#alerts-staging',
  sendResolved: true,
});

export const sloTickets = receiver('slack-slo-tickets').slack({ ...message, channel: '#slo-tickets' });

export const paymentsEmail = receiver('payments-email').email({
  to: 'payments-oncall@example.org',
  sendResolved: true,
});

export const infrastructureDiscord = receiver('infrastructure-discord').discord({
  webhookUrl: secret.file('/etc/alertmanager/secrets/discord-infrastructure-webhook-url'),
  title: message.title,
  message: message.text,
  sendResolved: true,
});

/** The weekly database and cluster maintenance: non-paging notifications wait until it is over. */
export const maintenance = timeInterval('weekly-maintenance', [
  { weekdays: ['sunday'], times: [{ start: '02:00', end: '04:00' }], location: 'UTC' },
]);

export const config = alertmanager<OrgAlertLabels>()
  .global({
    resolveTimeout: '5m',
    slackApiUrl: secret.file('/etc/alertmanager/secrets/slack-webhook-url'),
    smtp: {
      from: 'alertmanager@example.org',
      smarthost: 'smtp.example.org:587',
      authUsername: 'alertmanager',
      authPassword: secret.env('SMTP_PASSWORD'),
      requireTls: true,
    },
  })
  .template(
    'notifications.tmpl',
    readFileSync(new URL('./templates/notifications.tmpl', import.meta.url), 'utf8'),
  )
  .defaultReceiver(unrouted)
  .groupBy('alertname', 'service')
  .groupWait('30s')
  .groupInterval('5m')
  .repeatInterval('4h')
  // Staging first and alone: nothing of staging pages, e-mails a team or reaches the production channels.
  .route((r) => r.where('environment', 'staging').to(stagingChannel).repeatInterval('24h'))
  // Team channels come next and continue, so the owning team hears of every alert as well.
  .route((r) => r.where('team', 'payments').to(paymentsEmail).continue())
  .route((r) =>
    r.where('team', 'infrastructure').to(infrastructureDiscord).muteDuring(maintenance).continue(),
  )
  // SLO alerts before the severity routes: they are paged or ticketed once, grouped per SLO.
  .route((r) =>
    r
      .where('slo_severity', 'page')
      .to(oncallPager)
      .groupBy('alertname', 'slo', 'service')
      .repeatInterval('1h'),
  )
  .route((r) =>
    r
      .where('slo_severity', 'ticket')
      .to(sloTickets)
      .groupBy('alertname', 'slo', 'service')
      .repeatInterval('12h'),
  )
  .route((r) => r.where('severity', 'critical').to(oncallPager).repeatInterval('1h').continue())
  .route((r) => r.where('severity', 'critical').to(alertsChannel))
  .route((r) => r.where('severity', 'warning').to(alertsChannel).muteDuring(maintenance))
  .inhibit('critical-mutes-warning', (rule) =>
    rule
      .whenFiring((m) => m.where('severity', 'critical'))
      .mutes((m) => m.where('severity', 'warning'))
      .equal('alertname', 'service', 'environment'),
  );
