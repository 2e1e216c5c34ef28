import { alertmanager, alertmanagerTests, receiver, secret, timeInterval } from '../src/index.ts';
import { alertEntry } from './helpers.ts';

/** The labels the fixture's alerts carry; routes and cases are typed by them. */
type Labels = {
  alertname: string;
  severity: 'critical' | 'warning' | 'info';
  team: 'tills' | 'books' | 'ops';
  slo_severity?: 'page' | 'ticket';
  service?: string;
  slo?: string;
};

const message = { title: '{{ .CommonLabels.alertname }}', text: '{{ .CommonAnnotations.summary }}' };

export const unrouted = receiver('chat-unrouted').slack({ ...message, channel: '#unrouted' });
export const pager = receiver('pager').pagerduty({
  routingKey: secret.env('PAGER_ROUTING_KEY'),
  description: message.title,
});
export const alertsChannel = receiver('chat-alerts').slack({ ...message, channel: '#alerts' });
export const tickets = receiver('chat-tickets').slack({ ...message, channel: '#tickets' });
export const tillsMail = receiver('tills-mail').email({ to: 'tills@example.org' });
export const quietHours = timeInterval('quiet-hours', [{ weekdays: ['sunday'], location: 'UTC' }]);

/**
 * A small organisation's routing for the package's own tests: the tills team hears of its alerts by
 * e-mail too, SLO pages page and tickets are ticketed, critical alerts page and post, warnings post,
 * and a critical alert mutes the warnings of its service.
 */
export const config = alertmanager<Labels>()
  .global({
    slackApiUrl: secret.file('/etc/alertmanager/secrets/slack-url'),
    smtp: { from: 'am@example.org', smarthost: 'smtp.example.org:587' },
  })
  .defaultReceiver(unrouted)
  .groupBy('alertname', 'service')
  .route((r) => r.where('team', 'tills').to(tillsMail).continue())
  .route((r) => r.where('slo_severity', 'page').to(pager).groupBy('alertname', 'slo', 'service'))
  .route((r) => r.where('slo_severity', 'ticket').to(tickets).groupBy('alertname', 'slo', 'service'))
  .route((r) => r.where('severity', 'critical').to(pager).continue())
  .route((r) => r.where('severity', 'critical').to(alertsChannel))
  .route((r) => r.where('severity', 'warning').to(alertsChannel).muteDuring(quietHours))
  .inhibit('critical-mutes-warning', (rule) =>
    rule
      .whenFiring((m) => m.where('severity', 'critical'))
      .mutes((m) => m.where('severity', 'warning'))
      .equal('alertname', 'service'),
  );

const down = { alertname: 'Down', severity: 'critical', team: 'tills', service: 'checkout' } as const;
const slow = { alertname: 'Down', severity: 'warning', team: 'tills', service: 'checkout' } as const;
const burnPage = {
  alertname: 'LedgerBurn',
  severity: 'critical',
  team: 'books',
  service: 'ledger',
  slo: 'availability',
  slo_severity: 'page',
} as const;
const burnTicket = { ...burnPage, severity: 'warning', slo_severity: 'ticket' } as const;

export const routingTests = alertmanagerTests(config)
  .routes('a critical alert of the tills team is mailed, paged and posted', down, [
    tillsMail,
    pager,
    alertsChannel,
  ])
  .routes('an SLO page pages once', burnPage, [pager])
  .routes('an SLO ticket is ticketed', burnTicket, [tickets])
  .inhibits('a critical alert mutes the warning of its service', { firing: down, target: slow })
  .doesNotInhibit('a ticket does not mute its page', { firing: burnTicket, target: burnPage });

/** The fixture's alerts as the rules emitter lists them in dist/prometheus/alerts.json. */
export const alerts = [
  alertEntry('Down', { severity: 'critical', team: 'tills', service: 'checkout' }),
  alertEntry('Down', { severity: 'warning', team: 'tills', service: 'checkout' }),
  alertEntry('QueueBacklog', { severity: 'warning', team: 'books' }, ['service']),
  alertEntry('LedgerBurn', { ...burnPage }, ['service', 'slo']),
  alertEntry('LedgerBurn', { ...burnTicket }, ['service', 'slo']),
];
