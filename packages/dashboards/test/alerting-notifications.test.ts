import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

describe("mute timings against the schema of Grafana's API format", () => {
  beforeAll(ensureSchemas, 120_000);

  it("accepts what the build writes and rejects the SDK's spelling and malformed ranges, at the definition", async () => {
    const validate = validatorFor('alerting-mute-timing.schema.json');
    const written = grafanaNotifications(config).muteTimings;
    expect(written.map((m) => validate(m))).toEqual([true]);
    // The foundation SDK's MuteTiming types a period as from/to and numeric ranges: not what the API takes.
    expect(validate({ name: 'sdk', time_intervals: [{ times: [{ from: '00:00', to: '06:00' }] }] })).toBe(
      false,
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'o11y-mute-'));
    try {
      const bad = [
        {
          name: 'night',
          time_intervals: [{ times: [{ start_time: '0:00', end_time: '25:00' }], weekdays: ['mon'] }],
        },
      ];
      await writeFile(path.join(dir, 'mute-timings.json'), JSON.stringify(bad));
      const source = { file: 'alertmanager/config.ts', line: 7, column: 1 };
      const problems = await alertingEmitter.verify!(
        [{ path: 'mute-timings.json', kind: 'grafana-mute-timings', source }],
        dir,
        { root: dir, definitions: [], profile: 'default', log: () => {} },
      );
      expect(problems.map((p) => [p.id, p.source, p.message.replace(/ does not match.*?: /, ': ')])).toEqual([
        [
          'grafana/alerting-schema',
          source,
          'mute-timings.json: /0/time_intervals/0/times/0/end_time: must match pattern "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"',
        ],
        [
          'grafana/alerting-schema',
          source,
          'mute-timings.json: /0/time_intervals/0/times/0/start_time: must match pattern "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"',
        ],
        [
          'grafana/alerting-schema',
          source,
          expect.stringMatching(
            /^mute-timings\.json: \/0\/time_intervals\/0\/weekdays\/0: must match pattern/,
          ),
        ],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
