import { describe, expect, it } from 'vitest';
import { treeFromFiles } from '../src/built/tree.ts';
import {
  alertingRefusals,
  applyAlerting,
  CHECKSUM_ANNOTATION,
  planAlerting,
  type RuleJson,
  verifyAlerting,
} from '../src/grafana-alerting/rules.ts';
import type { HttpClient } from '../src/http/client.ts';
import { alertingSimulator } from './support/alerting-simulator.ts';

const TOKEN = 'glsa_alerting_canary_0123456789';

/** A rule as the build writes it (dashboards' alerting emitter): query A, reduce B, threshold C. */
function rule(uid: string, title: string, expr: string, group = 'checkout'): RuleJson {
  return {
    uid,
    title,
    folderUID: 'o11y-alerts-teams-tills',
    ruleGroup: group,
    orgID: 1,
    condition: 'C',
    data: [
      {
        refId: 'A',
        datasourceUid: 'o11y-prometheus',
        relativeTimeRange: { from: 600, to: 0 },
        model: { refId: 'A', expr, instant: true, range: false },
      },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        model: { refId: 'B', type: 'reduce', expression: 'A', reducer: 'last' },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [0] } }],
        },
      },
    ],
    for: '10m',
    noDataState: 'OK',
    execErrState: 'Error',
    labels: { severity: 'critical', team: 'tills' },
    annotations: { summary: 'Checkout fails', description: 'x' },
    isPaused: false,
  };
}

function tree(rules: RuleJson[], interval = 30) {
  const groups = new Map<string, RuleJson[]>();
  for (const r of rules) groups.set(r.ruleGroup, [...(groups.get(r.ruleGroup) ?? []), r]);
  return treeFromFiles({
    'grafana/alerting/folders.json': JSON.stringify({ 'o11y-alerts-teams-tills': 'teams - tills' }),
    ...Object.fromEntries(
      [...groups].map(([title, groupRules]) => [
        `grafana/alerting/rule-groups/o11y-alerts-teams-tills/${title}.json`,
        JSON.stringify({ title, folderUid: 'o11y-alerts-teams-tills', interval, rules: groupRules }),
      ]),
    ),
  });
}

const errors = rule('o11y-errors', 'HighErrors', 'sum(rate(errors_total[5m])) > 0');
const latency = rule('o11y-latency', 'HighLatency', 'histogram_quantile(0.99, x) > 1');

const start = alertingSimulator(TOKEN);

async function publish(
  client: HttpClient,
  rules: RuleJson[],
  options = { force: false, prune: false },
  interval = 30,
) {
  const plan = await planAlerting(tree(rules, interval), client, options);
  const summary = await applyAlerting(plan, client, 4);
  await verifyAlerting(plan, client);
  return { plan, summary, refusals: alertingRefusals(plan) };
}

const actions = (plan: Awaited<ReturnType<typeof publish>>['plan']) =>
  plan.rules.map((s) => [s.action, s.uid]);

describe('publish Grafana-managed alert rules (simulator)', () => {
  it('creates the folder and rules, sets the group interval, and a second run writes nothing', async () => {
    const { sim, client } = await start();
    const first = await publish(client, [errors, latency]);
    expect(first.summary).toMatchObject({ created: 2, foldersCreated: 1, intervalsSet: 1 });
    expect(sim.store.folders.get('o11y-alerts-teams-tills')?.title).toBe('teams - tills');
    const stored = sim.alerting.rules.get('o11y-errors')!;
    // X-Disable-Provenance: stored without provenance, so the UI can still edit it.
    expect(stored.provenance).toBe('');
    expect(stored.for).toBe('10m0s');
    expect(stored.annotations).toHaveProperty(CHECKSUM_ANNOTATION);
    expect(sim.alerting.intervals.get('o11y-alerts-teams-tills/checkout')).toBe(30);
    const writes = sim.mutations;
    const second = await publish(client, [errors, latency]);
    expect(actions(second.plan)).toEqual([
      ['unchanged', 'o11y-errors'],
      ['unchanged', 'o11y-latency'],
    ]);
    expect(second.plan.intervals).toEqual([]);
    expect(sim.mutations).toBe(writes);
  });

  it('updates a rule whose definition changed', async () => {
    const { sim, client } = await start();
    await publish(client, [errors]);
    const changed = { ...errors, for: '5m' };
    const { plan } = await publish(client, [changed]);
    expect(actions(plan)).toEqual([['update', 'o11y-errors']]);
    expect(sim.alerting.rules.get('o11y-errors')!.for).toBe('5m0s');
  });

  it('refuses to overwrite a rule edited in Grafana unless forced', async () => {
    const { sim, client } = await start();
    await publish(client, [errors]);
    sim.editAlertRuleAsHuman('o11y-errors', (r) => {
      r.for = '1h';
    });
    const changed = { ...errors, labels: { severity: 'critical', team: 'tills', tier: 'critical' } };
    const refused = await publish(client, [changed]);
    expect(actions(refused.plan)).toEqual([['drift', 'o11y-errors']]);
    expect(refused.refusals[0]!.message).toMatch(/edited in Grafana.*--force would overwrite/);
    expect(sim.alerting.rules.get('o11y-errors')!.for).toBe('1h0m0s');
    const forced = await publish(client, [changed], { force: true, prune: false });
    expect(actions(forced.plan)).toEqual([['update', 'o11y-errors']]);
    expect(sim.alerting.rules.get('o11y-errors')!.labels).toMatchObject({ tier: 'critical' });
  });

  it('prunes only rules it owns, and only with --prune', async () => {
    const { sim, client } = await start();
    await publish(client, [errors, latency]);
    await client.request('POST', '/api/v1/provisioning/alert-rules', {
      body: rule('someone-elses', 'TheirAlert', 'up == 0', 'theirs'),
      headers: { 'x-disable-provenance': 'true' },
    });
    const kept = await publish(client, [errors]);
    expect(actions(kept.plan)).toEqual([
      ['unchanged', 'o11y-errors'],
      ['keep', 'o11y-latency'],
    ]);
    const pruned = await publish(client, [errors], { force: false, prune: true });
    expect(actions(pruned.plan)).toEqual([
      ['unchanged', 'o11y-errors'],
      ['delete', 'o11y-latency'],
    ]);
    expect([...sim.alerting.rules.keys()].sort()).toEqual(['o11y-errors', 'someone-elses']);
  });

  it('leaves a rule of another provenance alone, as Grafana would refuse the change (403)', async () => {
    const { sim, client } = await start();
    await publish(client, [latency]);
    sim.provisionAlertRuleFromFile({ ...errors, annotations: { [CHECKSUM_ANNOTATION]: 'x' } });
    const { plan, refusals } = await publish(client, [errors, latency]);
    expect(actions(plan)).toEqual([
      ['foreign', 'o11y-errors'],
      ['unchanged', 'o11y-latency'],
    ]);
    expect(refusals[0]!.message).toMatch(/provenance "file"/);
    const direct = await client.request('PUT', '/api/v1/provisioning/alert-rules/o11y-errors', {
      body: errors,
      headers: { 'x-disable-provenance': 'true' },
    });
    expect(direct.status).toBe(403);
    expect(direct.text).toMatch(
      /provenance status 'file' cannot be managed via API that handles resources with provenance status 'none'/,
    );
    // Without the header a rule becomes `api`-provisioned: read-only in the UI.
    await client.request('POST', '/api/v1/provisioning/alert-rules', {
      body: rule('locked', 'Locked', 'up == 0', 'locked'),
    });
    expect(sim.alerting.rules.get('locked')!.provenance).toBe('api');
    expect(() => sim.editAlertRuleAsHuman('locked', () => {})).toThrow(/read-only in the UI/);
  });

  it('answers 400 to an invalid rule, as Grafana validates it', async () => {
    const { sim, client } = await start();
    await publish(client, [errors]);
    const bad = await client.request('POST', '/api/v1/provisioning/alert-rules', {
      body: { ...rule('bad', 'Bad', 'up'), condition: 'D' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/condition D does not exist/);
    const noFolder = await client.request('POST', '/api/v1/provisioning/alert-rules', {
      body: { ...rule('nofolder', 'NoFolder', 'up'), folderUID: 'missing' },
    });
    expect(noFolder.status).toBe(400);
    const sameTitle = await client.request('POST', '/api/v1/provisioning/alert-rules', {
      body: rule('dupe', 'HighErrors', 'up'),
    });
    expect(sameTitle.status).toBe(400);
    expect(sameTitle.text).toMatch(/title under the same organisation and folder/);
    const interval = await client.request(
      'PUT',
      '/api/v1/provisioning/folder/o11y-alerts-teams-tills/rule-groups/checkout',
      {
        body: { title: 'checkout', interval: 15, rules: [] },
      },
    );
    expect(interval.status).toBe(400);
    expect(sim.alerting.rules.size).toBe(1);
    const missing = await client.request('GET', '/api/v1/provisioning/alert-rules/nope');
    expect(missing.status).toBe(404);
  });
});
