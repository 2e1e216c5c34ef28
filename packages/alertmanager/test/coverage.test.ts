import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { config } from '../../../alertmanager/config.ts';
import { renderConfig } from '../src/index.ts';
import { type AlertEntry, checkRoutingCoverage } from '../src/testing/coverage.ts';
import { readRoutingConfig } from '../src/testing/routing-tree.ts';
import { fixtureAlerts } from './helpers.ts';

const alerts = JSON.parse(await readFile(fixtureAlerts, 'utf8')) as AlertEntry[];
const sampleYaml = renderConfig(config)[0]!.content;

function failedAlerts(yaml: string, list: readonly AlertEntry[] = alerts, allowed = []) {
  return checkRoutingCoverage(list, readRoutingConfig(yaml), allowed)
    .filter((c) => !c.passed)
    .map((c) => c.failure!.message);
}

/** The sample config with every route to the #alerts Slack receiver taken out. */
function withoutSlackRoute(): string {
  const document = parse(sampleYaml);
  document.route.routes = document.route.routes.filter(
    (r: { receiver: string }) => r.receiver !== 'slack-alerts',
  );
  return stringify(document);
}

const alert = (name: string, labels: Record<string, string>, keptLabels: string[] = []): AlertEntry => ({
  alert: name,
  group: 'g',
  labels,
  keptLabels,
  source: { file: 'rules/x.ts', line: 1, column: 1 },
});

describe('routing coverage', () => {
  it('passes for every alert of the fixture on the sample config', () => {
    expect(failedAlerts(sampleYaml)).toEqual([]);
  });

  it('fails with the names of the alerts that became unrouted when the Slack route is removed', () => {
    const results = checkRoutingCoverage(alerts, readRoutingConfig(withoutSlackRoute()), []);
    const failed = results.filter((c) => !c.passed);
    expect(failed.map((c) => c.failure!.message)).toEqual([
      'alert HighLatency reaches only the default receiver "slack-unrouted"',
      'alert HighLatency reaches only the default receiver "slack-unrouted"',
    ]);
    expect(failed.map((c) => c.name)).toEqual([
      'coverage: HighLatency (red-orders, rules/fixture.ts:11:3)',
      'coverage: HighLatency (red-search, rules/fixture.ts:30:3)',
    ]);
    expect(failed.map((c) => c.failure!.source)).toEqual([
      { file: 'rules/fixture.ts', line: 11, column: 3 },
      { file: 'rules/fixture.ts', line: 30, column: 3 },
    ]);
  });

  it('tries every value a kept or templated label can take, naming the one that escapes', () => {
    const keptTeam = alert('QueueBacklog', { severity: 'info' }, ['team']);
    expect(failedAlerts(sampleYaml, [keptTeam])).toEqual([]);
    const noSeverity = alert('DiskFilling', { team: '{{ $labels.owner }}' }, ['instance']);
    expect(failedAlerts(sampleYaml, [noSeverity])).toEqual([
      'alert DiskFilling reaches only the default receiver "slack-unrouted" when team=<any other value>',
    ]);
    const keptSeverity = alert('Saturation', { team: 'commerce' }, ['severity']);
    expect(failedAlerts(sampleYaml, [keptSeverity])).toEqual([
      'alert Saturation reaches only the default receiver "slack-unrouted" when severity=<any other value>',
    ]);
  });

  it('fails an alert that reaches only receivers without integrations', () => {
    const document = parse(sampleYaml);
    document.receivers.push({ name: 'blackhole' });
    document.route.routes.unshift({ receiver: 'blackhole', matchers: ['alertname="Noise"'] });
    expect(failedAlerts(stringify(document), [alert('Noise', { severity: 'critical' })])).toEqual([
      'alert Noise reaches only receivers without integrations (blackhole)',
    ]);
  });

  it('accepts declared exceptions and fails declarations that went stale', () => {
    const watchdog = alert('Watchdog', {});
    const source = { file: 'alertmanager/tests.ts', line: 3, column: 1 };
    const allowed = [
      { alert: 'Watchdog', reason: 'dead man’s switch', source },
      { alert: 'HighErrorRate', reason: 'routed anyway', source },
      { alert: 'Gone', reason: 'removed rule', source },
    ];
    const results = checkRoutingCoverage([watchdog, alerts[0]!], readRoutingConfig(sampleYaml), allowed);
    expect(results.map((c) => [c.passed, c.failure?.message])).toEqual([
      [false, 'allowDefaultRoute("HighErrorRate") is stale: the alert is routed'],
      [true, undefined],
      [false, 'allowDefaultRoute("Gone") names no alert the rules produce'],
    ]);
  });
});
