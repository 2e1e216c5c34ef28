import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { alertmanager, matchRoutes, receiver, secret, timeInterval } from '@o11y/alertmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alertingEmitter,
  grafanaNotifications,
  policyRoutes,
  provisionedNotifications,
} from '../src/index.ts';
import { ensureSchemas, validatorFor } from '../src/verify/schema.ts';

type Labels = { readonly team: 'tills' | 'books'; readonly severity: 'critical' | 'warning' };

const pager = receiver('pager').pagerduty({ routingKey: secret.env('PAGERDUTY_KEY') });
const chat = receiver('chat').slack({ channel: '#alerts', apiUrl: secret.file('/run/secrets/slack-url') });
const books = receiver('books')
  .discord({ webhookUrl: secret.file('/run/secrets/discord') })
  .email({ to: 'books@example.org' });
const hook = receiver('hook').webhook({ url: 'http://relay.internal:8080/alerts' });
const night = timeInterval('night', [
  { times: [{ start: '00:00', end: '06:00' }], weekdays: ['monday:friday'] },
]);

const config = alertmanager<Labels>()
  .defaultReceiver(hook)
  .groupBy('alertname')
  .repeatInterval('4h')
  .route((r) => r.where('team', 'books').to(books).muteDuring(night).continue())
  .route((r) => r.where('severity', 'critical').to(pager).groupBy('alertname', 'team'))
  .route((r) => r.where('severity', 'warning').to(chat));

describe('Grafana notification policies, contact points and mute timings', () => {
  beforeAll(ensureSchemas, 120_000);

  it('turns the routing tree into the policy tree, matchers as object_matchers', () => {
    const { policy } = grafanaNotifications(config);
    expect(policy).toMatchObject({ receiver: 'hook', group_by: ['alertname'], repeat_interval: '4h' });
    expect(policy.routes).toEqual([
      {
        receiver: 'books',
        object_matchers: [['team', '=', 'books']],
        mute_time_intervals: ['night'],
        continue: true,
      },
      {
        receiver: 'pager',
        object_matchers: [['severity', '=', 'critical']],
        group_by: ['alertname', 'team'],
      },
      { receiver: 'chat', object_matchers: [['severity', '=', 'warning']] },
    ]);
    expect(validatorFor('alerting-notification-policy.schema.json')(policy)).toBe(true);
  });

  it('routes an alert through the policy tree as through the Alertmanager routes', () => {
    const tree = policyRoutes(grafanaNotifications(config).policy);
    const to = (labels: Record<string, string>) => matchRoutes(tree, labels).map((r) => r.receiver);
    expect(to({ team: 'books', severity: 'critical' })).toEqual(['books', 'pager']);
    expect(to({ team: 'tills', severity: 'warning' })).toEqual(['chat']);
    expect(to({ team: 'tills', severity: 'info' })).toEqual(['hook']);
  });

  it('makes contact points that reference secrets, never hold them', () => {
    const { contactPoints } = grafanaNotifications(config);
    const byType = Object.fromEntries(contactPoints.map((p) => [p.type, p]));
    expect(byType.pagerduty).toMatchObject({
      name: 'pager',
      settings: { integrationKey: '$__env{PAGERDUTY_KEY}' },
      disableResolveMessage: false,
    });
    expect(byType.slack).toMatchObject({
      name: 'chat',
      settings: { url: '$__file{/run/secrets/slack-url}', recipient: '#alerts' },
      disableResolveMessage: true,
    });
    expect(byType.discord!.settings).toEqual({ url: '$__file{/run/secrets/discord}' });
    expect(byType.email).toMatchObject({ name: 'books', settings: { addresses: 'books@example.org' } });
    expect(byType.webhook!.settings).toEqual({ url: 'http://relay.internal:8080/alerts' });
    const validate = validatorFor('alerting-contact-point.schema.json');
    for (const point of contactPoints) expect(validate(point)).toBe(true);
  });

  it('writes the mute timings and the provisioning files (one contact point per receiver, its integrations as receivers)', () => {
    const notifications = grafanaNotifications(config);
    expect(notifications.muteTimings).toEqual([
      {
        name: 'night',
        time_intervals: [
          { times: [{ start_time: '00:00', end_time: '06:00' }], weekdays: ['monday:friday'] },
        ],
      },
    ]);
    const files = provisionedNotifications(notifications);
    expect(
      files.contactPoints.contactPoints.find((p) => p.name === 'books')!.receivers.map((r) => r.type),
    ).toEqual(['discord', 'email']);
    expect(files.policies.policies[0]).toMatchObject({ orgId: 1, receiver: 'hook' });
    expect(files.muteTimings.muteTimes[0]).toMatchObject({ orgId: 1, name: 'night' });
  });

  it('refuses an integration it cannot build for Grafana, at its line', () => {
    const teams = receiver('teams').msteams({ webhookUrl: secret.env('TEAMS_URL') });
    expect(() => grafanaNotifications(alertmanager<Labels>().defaultReceiver(teams))).toThrow(
      /msteams is not a contact point/,
    );
  });
});

describe('inhibition under Grafana-managed alerting', () => {
  it('warns once per inhibit rule, at its line, saying what is lost and what to do', async () => {
    const inhibiting = alertmanager<Labels>()
      .defaultReceiver(hook)
      .inhibit('critical-mutes-warning', (r) =>
        r
          .whenFiring((m) => m.where('severity', 'critical'))
          .mutes((m) => m.where('severity', 'warning'))
          .equal('team'),
      );
    const warnings = await alertingEmitter.verify!([], '/nonexistent', {
      root: '/nonexistent',
      definitions: [inhibiting],
      profile: 'default',
      log: () => {},
    });
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning).toMatchObject({ severity: 'warning', id: 'grafana/inhibition' });
    expect(warning!.message).toBe(
      'inhibit rule "critical-mutes-warning" does not apply to Grafana-managed alerts (Grafana\'s Alertmanager has no inhibition): alerts matching {severity="warning"} that Grafana evaluates still notify while {severity="critical"} fires',
    );
    expect(warning!.hint).toContain("alerting: 'prometheus'");
    expect(warning!.source?.file).toMatch(/alerting-notifications\.test\.ts$/);
    // The line of `.inhibit(...)` in this file: where the warning must point.
    const line =
      readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(".inhibit('critical-mutes-warning'")) + 1;
    expect(warning!.source?.line).toBe(line);
    expect(
      await alertingEmitter.verify!([], '/nonexistent', {
        root: '/',
        definitions: [config],
        profile: 'default',
        log: () => {},
      }),
    ).toEqual([]);
  });
});
