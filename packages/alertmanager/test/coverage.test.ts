import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { config } from '../../../alertmanager/config.ts';
import { renderConfig } from '../src/index.ts';
import { type AlertEntry, checkRoutingCoverage } from '../src/testing/coverage.ts';
import { readRoutingConfig } from '../src/testing/routing-tree.ts';
import { alertEntry as alert, sampleAlerts } from './helpers.ts';

const alerts = sampleAlerts;
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

describe('routing coverage', () => {
  it('passes for every alert of the fixture on the sample config', () => {
    expect(failedAlerts(sampleYaml)).toEqual([]);
  });

  it('fails with the names of the alerts that became unrouted when the Slack route is removed', () => {
    const results = checkRoutingCoverage(alerts, readRoutingConfig(withoutSlackRoute()), []);
    const failed = results.filter((c) => !c.passed);
    const unrouted = [
      ['AuthLatencySLIAbsent', 'slo-auth-latency-alerts', 'slos.ts:49:3'],
      ['CartAvailabilitySLIAbsent', 'slo-cart-availability-alerts', 'slos.ts:41:3'],
      ['HighErrorRate', 'orders-alerts', 'services.ts:53:25'],
      ['HighErrorRate', 'search-alerts', 'services.ts:53:25'],
      ['HighLatency', 'orders-alerts', 'services.ts:62:23'],
      ['HighLatency', 'search-alerts', 'services.ts:62:23'],
      ['OrdersAvailabilitySLIAbsent', 'slo-orders-availability-alerts', 'slos.ts:41:3'],
    ];
    expect(failed.map((c) => c.failure!.message)).toEqual(
      unrouted.map(([name]) => `alert ${name} reaches only the default receiver "slack-unrouted"`),
    );
    expect(failed.map((c) => c.name)).toEqual(
      unrouted.map(([name, group, line]) => `coverage: ${name} (${group}, rules/${line})`),
    );
    expect(failed[2]!.failure!.source).toEqual({ file: 'rules/services.ts', line: 53, column: 25 });
  });

  it('tries every value a kept or templated label can take, naming the one that escapes', () => {
    const keptTeam = alert('QueueBacklog', { severity: 'warning' }, ['team']);
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
    const highErrorRate = alerts.find((a) => a.alert === 'HighErrorRate')!;
    const results = checkRoutingCoverage([watchdog, highErrorRate], readRoutingConfig(sampleYaml), allowed);
    expect(results.map((c) => [c.passed, c.failure?.message])).toEqual([
      [false, 'allowDefaultRoute("HighErrorRate") is stale: the alert is routed'],
      [true, undefined],
      [false, 'allowDefaultRoute("Gone") names no alert the rules produce'],
    ]);
  });
});
