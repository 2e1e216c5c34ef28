import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderConfig } from '../src/index.ts';
import { type AlertEntry, checkRoutingCoverage } from '../src/testing/coverage.ts';
import { readRoutingConfig } from '../src/testing/routing-tree.ts';
import { alerts, config } from './fixture.ts';
import { alertEntry as alert } from './helpers.ts';

const sampleYaml = renderConfig(config)[0]!.content;

function failedAlerts(yaml: string, list: readonly AlertEntry[] = alerts, allowed = []) {
  return checkRoutingCoverage(list, readRoutingConfig(yaml), allowed)
    .filter((c) => !c.passed)
    .map((c) => c.failure!.message);
}

/** The fixture config with every route to the #alerts channel taken out. */
function withoutAlertsRoute(): string {
  const document = parse(sampleYaml);
  document.route.routes = document.route.routes.filter(
    (r: { receiver: string }) => r.receiver !== 'chat-alerts',
  );
  return stringify(document);
}

describe('routing coverage', () => {
  it('passes for every alert of the fixture on the sample config', () => {
    expect(failedAlerts(sampleYaml)).toEqual([]);
  });

  it('fails with the names of the alerts that became unrouted when the #alerts route is removed', () => {
    const results = checkRoutingCoverage(alerts, readRoutingConfig(withoutAlertsRoute()), []);
    const failed = results.filter((c) => !c.passed);
    expect(failed.map((c) => c.failure!.message)).toEqual([
      'alert QueueBacklog reaches only the default receiver "chat-unrouted"',
    ]);
    expect(failed.map((c) => c.name)).toEqual(['coverage: QueueBacklog (g, rules/x.ts:1:1)']);
    expect(failed[0]!.failure!.source).toEqual({ file: 'rules/x.ts', line: 1, column: 1 });
  });

  it('tries every value a kept or templated label can take, naming the one that escapes', () => {
    const keptTeam = alert('QueueBacklog', { severity: 'warning' }, ['team']);
    expect(failedAlerts(sampleYaml, [keptTeam])).toEqual([]);
    const noSeverity = alert('DiskFilling', { team: '{{ $labels.owner }}' }, ['instance']);
    expect(failedAlerts(sampleYaml, [noSeverity])).toEqual([
      'alert DiskFilling reaches only the default receiver "chat-unrouted" when team=<any other value>',
    ]);
    const keptSeverity = alert('Saturation', { team: 'books' }, ['severity']);
    expect(failedAlerts(sampleYaml, [keptSeverity])).toEqual([
      'alert Saturation reaches only the default receiver "chat-unrouted" when severity=<any other value>',
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
      { alert: 'Down', reason: 'routed anyway', source },
      { alert: 'Gone', reason: 'removed rule', source },
    ];
    const down = alerts.find((a) => a.alert === 'Down')!;
    const results = checkRoutingCoverage([watchdog, down], readRoutingConfig(sampleYaml), allowed);
    expect(results.map((c) => [c.passed, c.failure?.message])).toEqual([
      [false, 'allowDefaultRoute("Down") is stale: the alert is routed'],
      [true, undefined],
      [false, 'allowDefaultRoute("Gone") names no alert the rules produce'],
    ]);
  });
});
