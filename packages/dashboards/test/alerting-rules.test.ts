import { absent, rate, sum } from '@o11y/catalog';
import { alert, availability, emitter as prometheusEmitter, record, ruleGroup, slo } from '@o11y/rules';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertingEmitter, comparisonOf, folderOf, grafanaRuleGroups, ruleUid } from '../src/index.ts';
import { ensureSchemas, validatorFor } from '../src/verify/schema.ts';
import { httpRequestsTotal, up } from './fixture.ts';

const errors = rate(httpRequestsTotal.select({ status_code: '500' }).range('5m'));
const highErrors = alert('HighErrors', {
  expr: sum(errors).by('service').gt(0.5),
  for: '10m',
  severity: 'critical',
  team: 'tills',
  summary: 'Too many errors',
  description: '{{ $labels.service }} fails {{ $value }} requests a second',
  runbookUrl: 'https://runbooks.example.org/HighErrors',
});
const down = alert('TargetDown', {
  expr: up.select({}).eq(0),
  severity: 'warning',
  team: 'tills',
  summary: 'A target is down',
  description: '{{ $labels.instance }} is down',
});
const missing = alert('UpMissing', {
  expr: absent(up.select({ job: 'checkout' })),
  severity: 'warning',
  team: 'tills',
  summary: 'No target reports',
  description: 'up is absent',
});
const recorded = record('service:errors:rate5m', sum(errors).by('service'));

const group = ruleGroup('tills', {
  file: 'teams/tills',
  interval: '30s',
  labels: { tier: 'critical' },
  rules: [recorded, highErrors, down, missing],
  alerting: 'grafana',
});
const prometheusOnly = ruleGroup('books', { rules: [down] });

const built = () => grafanaRuleGroups([group, prometheusOnly], 'default', 'prometheus');

describe('Grafana-managed alert rules', () => {
  // Deriving the schemas from the SDK's types takes TypeScript a while when the package build has not.
  beforeAll(ensureSchemas, 120_000);

  it('emits only the groups Grafana evaluates, and only their alerts (recording rules stay Prometheus’s)', () => {
    expect(built().map((g) => g.group.title)).toEqual(['tills']);
    expect(built()[0]!.group.rules!.map((r) => r.title)).toEqual(['HighErrors', 'TargetDown', 'UpMissing']);
    expect(grafanaRuleGroups([prometheusOnly], 'default', 'both').map((g) => g.group.title)).toEqual([
      'books',
    ]);
    expect(grafanaRuleGroups([prometheusOnly], 'default', 'prometheus')).toEqual([]);
  });

  it("evaluates SLOs' burn alerts without generating the SLOs' promtool tests", () => {
    const sli = availability({
      total: httpRequestsTotal.select({}),
      errors: httpRequestsTotal.select({ status_code: '500' }),
    });
    const checkoutSlo = slo({
      service: { name: 'checkout', team: 'tills' },
      name: 'availability',
      objective: 0.999,
      sli: {
        ...sli,
        testInput: () => {
          throw new Error('the scenarios were simulated');
        },
      },
    });
    const groups = grafanaRuleGroups([checkoutSlo], 'default', 'grafana');
    expect(groups.flatMap((g) => g.group.rules!.map((r) => r.title))).toEqual([
      'CheckoutAvailabilityErrorBudgetBurn (severity=critical, slo_severity=page)',
      'CheckoutAvailabilityErrorBudgetBurn (severity=warning, slo_severity=ticket)',
      'CheckoutAvailabilitySLIAbsent',
    ]);
  });

  it('query A is byte for byte the expr of the rule in the Prometheus rule file', async () => {
    const both = ruleGroup('tills', {
      file: 'teams/tills',
      rules: [highErrors, down, missing],
      alerting: 'both',
    });
    const context = { root: '/nonexistent', definitions: [both], profile: 'default', log: () => {} };
    const ruleFile = [...prometheusEmitter.emit([both], context)].find(
      (a) => a.path === 'prometheus/rules/teams/tills.yml',
    )!;
    const prometheus = (parse(ruleFile.content) as { groups: { rules: { alert: string; expr: string }[] }[] })
      .groups[0]!.rules;
    const grafana = grafanaRuleGroups([both], 'default', 'prometheus')[0]!.group.rules!;
    expect(grafana.map((r) => r.title)).toEqual(prometheus.map((r) => r.alert));
    for (const [index, rule] of grafana.entries()) {
      const queryA = rule.data.find((q) => q.refId === 'A')!;
      expect((queryA.model as unknown as { expr: string }).expr).toBe(prometheus[index]!.expr);
      expect(queryA.datasourceUid).toBe('o11y-prometheus');
    }
  });

  it('reduces to the last value and repeats a modelled comparison as the threshold', () => {
    const rules = built()[0]!.group.rules!;
    const [high, targetDown, upMissing] = rules.map((r) =>
      Object.fromEntries(r.data.map((q) => [q.refId, q.model])),
    );
    expect(high!.B).toMatchObject({ type: 'reduce', expression: 'A', reducer: 'last' });
    expect(high!.C).toMatchObject({
      type: 'threshold',
      expression: 'B',
      conditions: [{ evaluator: { type: 'gt', params: [0.5] } }],
    });
    // up == 0 returns 0: a `> 0` threshold would never fire.
    expect(targetDown!.C).toMatchObject({
      type: 'threshold',
      conditions: [{ evaluator: { type: 'eq', params: [0] } }],
    });
    expect(upMissing!.C).toMatchObject({ type: 'math', expression: '$B == $B' });
    expect(comparisonOf(up.select({}).node)).toBeUndefined();
  });

  it('keeps for, labels, annotations, folder, group interval and deterministic uids', () => {
    const [{ folder, group: g }] = built() as [ReturnType<typeof built>[number]];
    expect(folder).toEqual(folderOf('teams/tills'));
    expect(folder.uid).toBe('o11y-alerts-teams-tills');
    expect(g.interval).toBe(30);
    expect(g.folderUid).toBe(folder.uid);
    const [high] = g.rules!;
    expect(high).toMatchObject({
      uid: ruleUid('tills', 'HighErrors'),
      ruleGroup: 'tills',
      folderUID: folder.uid,
      condition: 'C',
      for: '10m',
      noDataState: 'OK',
      labels: { severity: 'critical', team: 'tills', tier: 'critical' },
      annotations: {
        summary: 'Too many errors',
        description: '{{ $labels.service }} fails {{ $value }} requests a second',
        runbook_url: 'https://runbooks.example.org/HighErrors',
      },
    });
    expect(high!.uid).toBe(built()[0]!.group.rules![0]!.uid);
    expect(high!.uid!.length).toBeLessThanOrEqual(40);
  });

  it('validates against the schema generated from the SDK’s RuleGroup type', () => {
    const validate = validatorFor('alerting-rule-group.schema.json');
    expect(validate(JSON.parse(JSON.stringify(built()[0]!.group)))).toBe(true);
    expect(validate({ title: 'x', rules: [{ title: 'y' }] })).toBe(false);
  });

  it('tells same-named alerts of a folder apart by the labels that differ (Grafana wants unique titles)', () => {
    const burn = (severity: 'critical' | 'warning', sloSeverity: string) =>
      alert('Burn', {
        ...{ expr: up.select({}).eq(0), team: 'tills', summary: 'Burning', description: 'x' },
        severity,
        labels: { slo_severity: sloSeverity },
      });
    const [page, ticket] = [burn('critical', 'page'), burn('warning', 'ticket')];
    const burns = ruleGroup('burns', { rules: [page, ticket], alerting: 'grafana' });
    const titles = grafanaRuleGroups([burns], 'default', 'prometheus')[0]!.group.rules!.map((r) => r.title);
    expect(titles).toEqual([
      'Burn (severity=critical, slo_severity=page)',
      'Burn (severity=warning, slo_severity=ticket)',
    ]);
    const twins = ruleGroup('twins', { rules: [page, page], alerting: 'grafana' });
    expect(() => grafanaRuleGroups([twins], 'default', 'prometheus')).toThrow(/same labels/);
  });

  it('refuses an interval Grafana cannot evaluate on', () => {
    const odd = ruleGroup('odd', { interval: '15s', rules: [down], alerting: 'grafana' });
    expect(() => grafanaRuleGroups([odd], 'default', 'prometheus')).toThrow(/multiple of 10s/);
  });

  it('writes the API form, the folders and the file-provisioning form', async () => {
    const artifacts = await alertingEmitter.emit([], {
      root: '/nonexistent',
      definitions: [group],
      profile: 'default',
      log: () => {},
    });
    expect(artifacts.map((a) => a.path)).toEqual([
      'grafana/alerting/rule-groups/o11y-alerts-teams-tills/tills.json',
      'grafana/alerting/folders.json',
      'grafana/provisioning/alerting/rules.yaml',
    ]);
    const provisioning = artifacts[2]!.content;
    expect(provisioning).toMatch(
      /^apiVersion: 1\ngroups:\n {2}- orgId: 1\n {4}name: tills\n {4}folder: teams - tills\n {4}interval: 30s\n/,
    );
  });
});
