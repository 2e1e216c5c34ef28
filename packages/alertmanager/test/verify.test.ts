import { captureSource, type Definition, type Diagnostic } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { type AlertEntry, alertmanager, alertmanagerTests, emitter, receiver } from '../src/index.ts';
import { alertEntry, buildContext, buildDist } from './helpers.ts';

/** What the rules of these tests emit: a kept `instance`, a templated `owner`, two severities. */
const ruleAlerts: AlertEntry[] = [
  alertEntry('DiskFull', { severity: 'critical', team: 'storage' }, ['instance']),
  alertEntry('DiskFilling', { severity: 'warning', team: 'storage', owner: '{{ $labels.owner }}' }, [
    'instance',
  ]),
];

interface Vocabulary {
  severity: 'critical' | 'warning' | 'info';
  team: 'storage' | 'search';
  instance?: string;
  owner?: string;
  region?: 'eu';
}

const pager = receiver('pager').webhook({ url: 'http://127.0.0.1:9/pager' });
const chat = receiver('chat').webhook({ url: 'http://127.0.0.1:9/chat' });

async function verifyAgainstRules(definitions: Definition[]): Promise<Diagnostic[]> {
  const dist = await buildDist(definitions, ruleAlerts);
  const build = buildContext();
  const artifacts = await emitter.emit(definitions, build);
  return [...(await emitter.verify!(artifacts, dist, build))];
}

describe('matchers against the labels the built alerts carry', () => {
  it('pass when every label and value is one some alert carries, kept and templated labels taking any value', async () => {
    const config = alertmanager<Vocabulary>()
      .defaultReceiver(chat)
      .route((r) => r.where('severity', 'critical').where('team', 'storage').to(pager))
      .route((r) => r.where('severity', ['critical', 'warning']).whereNot('owner', 'nobody').to(chat))
      .route((r) => r.whereMatches('instance', 'db-.*').where('alertname', 'DiskFull').to(pager))
      .inhibit('full-mutes-filling', (rule) =>
        rule
          .whenFiring((m) => m.where('alertname', 'DiskFull'))
          .mutes((m) => m.where('alertname', 'DiskFilling'))
          .equal('instance'),
      );
    expect(await verifyAgainstRules([config])).toEqual([]);
  });

  it('fail at the route’s line for a value no rule emits, naming the values the rules use', async () => {
    const here = captureSource();
    const config = alertmanager<Vocabulary>()
      .defaultReceiver(chat)
      .route((r) => r.where('severity', 'info').to(chat));
    const [problem, ...rest] = await verifyAgainstRules([config]);
    expect(rest).toEqual([]);
    expect(problem).toEqual({
      severity: 'error',
      message: 'route severity="info" compares "severity" with "info", which no alert of the build gives it',
      source: expect.objectContaining({
        file: 'packages/alertmanager/test/verify.test.ts',
        line: here.line + 3,
      }),
      id: 'alertmanager/unemitted-label',
      hint: 'the alerting rules give "severity" the values "critical", "warning": fix the value, drop the matcher, or add a rule that emits it',
    });
  });

  it('fail for a label no alert carries, an unknown alternative of a value list, and an unknown equal label', async () => {
    const config = alertmanager<Vocabulary>()
      .defaultReceiver(chat)
      .route((r) => r.where('region', 'eu').to(pager))
      .route((r) => r.where('team', ['storage', 'search']).to(chat))
      .inhibit('by-region', (rule) =>
        rule
          .whenFiring((m) => m.where('severity', 'critical'))
          .mutes((m) => m.where('alertname', 'DiskGone'))
          .equal('region'),
      );
    const problems = await verifyAgainstRules([config]);
    expect(problems.map((p) => p.message)).toEqual([
      'inhibit rule "by-region" equal names label "region", which no alert of the build carries',
      'route region="eu" names label "region", which no alert of the build carries',
      'route team=~"storage|search" compares "team" with "search", which no alert of the build gives it',
      'inhibit rule "by-region" target alertname="DiskGone" compares "alertname" with "DiskGone", which no alert of the build gives it',
    ]);
    expect(problems[1]!.hint).toBe(
      'use a label the alerting rules set ("alertname", "instance", "owner", "severity", "team"), or set "region" in the rules first',
    );
    expect(problems.every((p) => p.source?.file === 'packages/alertmanager/test/verify.test.ts')).toBe(true);
  });
});

describe('routing and inhibition cases against the built alerts', () => {
  const config = alertmanager<Vocabulary>()
    .defaultReceiver(chat)
    .route((r) => r.where('severity', 'critical').to(pager));

  it('pass for alerts the rules define, with labels their expressions keep', async () => {
    const tests = alertmanagerTests(config)
      .routes(
        'disk full pages',
        { alertname: 'DiskFull', severity: 'critical', team: 'storage', instance: 'db-1' },
        [pager],
      )
      .doesNotInhibit('filling does not mute full', {
        firing: { alertname: 'DiskFilling', severity: 'warning', team: 'storage', owner: 'ann' },
        target: { alertname: 'DiskFull', severity: 'critical', team: 'storage' },
      });
    expect(await verifyAgainstRules([config, tests])).toEqual([]);
  });

  it('fail for an alert no rule defines and for labels the alert cannot have, at the case’s line', async () => {
    const tests = alertmanagerTests(config)
      .routes('invented', { alertname: 'SLOBurnRateTooHigh', severity: 'critical' }, [pager])
      .inhibits('wrong labels', {
        firing: { alertname: 'DiskFull', severity: 'warning', team: 'storage', region: 'eu' },
        target: { alertname: 'DiskFilling', team: 'storage' },
      });
    const problems = await verifyAgainstRules([config, tests]);
    expect(problems.map((p) => [p.id, p.message, p.source?.file])).toEqual([
      [
        'alertmanager/unknown-test-alert',
        'routing case "invented" uses alert "SLOBurnRateTooHigh", which no alerting rule of the build defines',
        'packages/alertmanager/test/verify.test.ts',
      ],
      [
        'alertmanager/unknown-test-alert',
        'inhibition case "wrong labels" (firing) gives alert "DiskFull" labels it cannot have: severity is "critical"; it never carries "region"',
        'packages/alertmanager/test/verify.test.ts',
      ],
      [
        'alertmanager/unknown-test-alert',
        'inhibition case "wrong labels" (target) gives alert "DiskFilling" labels it cannot have: severity is "warning", the case omits it',
        'packages/alertmanager/test/verify.test.ts',
      ],
    ]);
  });
});
