import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { treeFromFiles } from '../src/built/tree.ts';
import {
  applyNotifications,
  formatNotificationPlan,
  notificationRefusals,
  planNotifications,
  STATE_TEMPLATE,
} from '../src/grafana-alerting/notifications.ts';
import { REDACTED } from '../src/grafana-simulator/notification-routes.ts';
import type { HttpClient } from '../src/http/client.ts';
import { alertingSimulator } from './support/alerting-simulator.ts';

const TOKEN = 'glsa_notifications_canary_0123456789';
const SLACK_URL = 'https://hooks.slack.example/services/T000/B000/canary-secret-value';
const env = { O11Y_TEST_SLACK_URL: SLACK_URL, O11Y_TEST_PD_KEY: 'pd-canary-key-0123' };
const secrets = {
  env,
  readFile: (file: string): string => {
    throw Object.assign(new Error(file), { code: 'ENOENT' });
  },
};

type Json = Record<string, unknown>;

/** The notification files of a build, as the dashboards' alerting emitter writes them. */
const slack = (channel = '#payments'): Json => ({
  uid: 'o11y-aaaaaaaaaaaaaaaaaaaa',
  name: 'payments-slack',
  type: 'slack',
  settings: { url: '$__env{O11Y_TEST_SLACK_URL}', recipient: channel },
  disableResolveMessage: true,
});
const pager: Json = {
  uid: 'o11y-bbbbbbbbbbbbbbbbbbbb',
  name: 'payments-pager',
  type: 'pagerduty',
  settings: { integrationKey: '$__env{O11Y_TEST_PD_KEY}' },
  disableResolveMessage: false,
};
const offHours: Json = {
  name: 'off-hours',
  time_intervals: [{ times: [{ start_time: '18:00', end_time: '24:00' }] }],
};
const policy = (
  children: Json[] = [{ receiver: 'payments-pager', object_matchers: [['severity', '=', 'critical']] }],
): Json => ({
  receiver: 'payments-slack',
  group_by: ['alertname'],
  routes: children,
});

function tree(points: Json[], tree: Json, timings: Json[]) {
  return treeFromFiles({
    'grafana/alerting/contact-points.json': JSON.stringify(points),
    'grafana/alerting/policies.json': JSON.stringify(tree),
    'grafana/alerting/mute-timings.json': JSON.stringify(timings),
  });
}

const startSimulator = alertingSimulator(TOKEN);
const start = async () => {
  const { sim, client, another } = await startSimulator();
  return { sim, client, other: another() };
};

async function publish(
  client: HttpClient,
  points = [slack(), pager],
  tree_ = policy(),
  timings = [offHours],
  options = { force: false, prune: false },
) {
  const plan = await planNotifications(tree(points, tree_, timings), client, options);
  const sent: string[] = [];
  const summary = await applyNotifications(plan, client, (v) => sent.push(v), secrets);
  return { plan, summary, secrets: sent, refusals: notificationRefusals(plan) };
}

const actions = (plan: Awaited<ReturnType<typeof publish>>['plan']) =>
  plan.steps.map((s) => `${s.action} ${s.kind} ${s.key}`);

describe('publish contact points, the policy tree and mute timings (simulator)', () => {
  it('creates them with secrets resolved, replaces the default tree, and a second run writes nothing', async () => {
    const { sim, client } = await start();
    const first = await publish(client);
    expect(actions(first.plan)).toEqual([
      'create mute timing off-hours',
      'create contact point o11y-aaaaaaaaaaaaaaaaaaaa',
      'create contact point o11y-bbbbbbbbbbbbbbbbbbbb',
      'update policy tree policies',
    ]);
    expect(first.summary).toEqual({ created: 3, updated: 1, deleted: 0 });
    // Grafana got the value (its API does not expand $__env{}); o11y registered it for redaction.
    expect(sim.notifications.contactPoints.get('o11y-aaaaaaaaaaaaaaaaaaaa')?.settings.url).toBe(SLACK_URL);
    expect(first.secrets).toEqual([SLACK_URL, env.O11Y_TEST_PD_KEY]);
    expect(JSON.stringify(first.plan)).not.toContain(SLACK_URL);
    expect(sim.notifications.policy.receiver).toBe('payments-slack');
    expect(sim.notifications.contactPoints.get('o11y-aaaaaaaaaaaaaaaaaaaa')?.provenance).toBe('');
    expect(sim.notifications.templates.get(STATE_TEMPLATE)?.template).toMatch(/^\{\{\/\* o11y: /);

    const before = sim.mutations;
    const second = await publish(client);
    expect(second.plan.steps.every((s) => s.action === 'unchanged')).toBe(true);
    expect(sim.mutations - before).toBe(0);
    expect(formatNotificationPlan(second.plan)).toEqual([
      '  notifications: 0 to create, 0 to update, 4 unchanged, 0 to delete',
    ]);
  });

  it('updates what changed in the build, and only that', async () => {
    const { sim, client } = await start();
    await publish(client);
    const before = sim.mutations;
    const { plan } = await publish(client, [slack('#payments-alerts'), pager]);
    expect(actions(plan).filter((a) => !a.startsWith('unchanged'))).toEqual([
      'update contact point o11y-aaaaaaaaaaaaaaaaaaaa',
    ]);
    expect(sim.notifications.contactPoints.get('o11y-aaaaaaaaaaaaaaaaaaaa')?.settings.recipient).toBe(
      '#payments-alerts',
    );
    // The update carried the secret again: Grafana keeps the value, not [REDACTED].
    expect(sim.notifications.contactPoints.get('o11y-aaaaaaaaaaaaaaaaaaaa')?.settings.url).toBe(SLACK_URL);
    expect(sim.mutations - before).toBe(2); // the contact point and the state template
  });

  it('refuses to overwrite what was edited in Grafana unless forced', async () => {
    const { sim, client, other } = await start();
    await publish(client);
    // Someone edits the tree in the UI (no provenance, as o11y writes it).
    const edited = { ...policy(), group_by: ['alertname', 'cluster'] };
    expect(
      (
        await other.request('PUT', '/api/v1/provisioning/policies', {
          body: edited,
          headers: { 'x-disable-provenance': 'true' },
        })
      ).status,
    ).toBe(202);
    const before = sim.mutations;
    const refused = await publish(client, [slack(), pager], policy([]));
    expect(actions(refused.plan)).toContain('drift policy tree policies');
    expect(refused.refusals.map((r) => r.id)).toEqual(['publish/grafana-notification-drift']);
    expect(refused.refusals[0]!.message).toContain('edited in Grafana since o11y published it');
    expect(sim.mutations - before).toBe(0);
    expect(sim.notifications.policy.group_by).toEqual(['alertname', 'cluster']);

    const forced = await publish(client, [slack(), pager], policy([]), [offHours], {
      force: true,
      prune: false,
    });
    expect(forced.refusals).toEqual([]);
    expect(sim.notifications.policy.group_by).toEqual(['alertname']);
    expect(sim.notifications.policy.routes).toEqual([]);
    // --force also sends every owned contact point again (a rotated secret value reaches Grafana).
    expect(actions(forced.plan)).toContain('update contact point o11y-bbbbbbbbbbbbbbbbbbbb');
    const after = await publish(client, [slack(), pager], policy([]));
    expect(after.plan.steps.every((s) => s.action === 'unchanged')).toBe(true);
  });

  it('does not take over a policy tree someone else set, unless forced', async () => {
    const { sim, client, other } = await start();
    await other.request('PUT', '/api/v1/provisioning/policies', {
      body: { receiver: 'grafana-default-email', routes: [{ receiver: 'grafana-default-email' }] },
      headers: { 'x-disable-provenance': 'true' },
    });
    const { refusals } = await publish(client);
    expect(refusals.map((r) => r.message)).toEqual([
      'policy tree notification policy tree was set in Grafana by someone else than o11y; not published. --force would overwrite it with the build',
    ]);
    expect(sim.notifications.policy.receiver).toBe('grafana-default-email');
  });

  it('prunes only what it owns, and only with --prune, after the tree no longer refers to it', async () => {
    const { sim, client, other } = await start();
    await publish(client);
    // Not o11y's: a contact point and a mute timing created by someone else.
    await other.request('POST', '/api/v1/provisioning/mute-timings', {
      body: { name: 'maintenance', time_intervals: [] },
      headers: { 'x-disable-provenance': 'true' },
    });
    const kept = await publish(client, [slack()], policy([]), []);
    expect(actions(kept.plan).filter((a) => !a.startsWith('unchanged'))).toEqual([
      'keep mute timing off-hours',
      'keep contact point o11y-bbbbbbbbbbbbbbbbbbbb',
      'update policy tree policies',
    ]);
    expect(sim.notifications.muteTimings.has('off-hours')).toBe(true);
    const pruned = await publish(client, [slack()], policy([]), [], { force: false, prune: true });
    expect(pruned.summary.deleted).toBe(2);
    expect([...sim.notifications.muteTimings.keys()]).toEqual(['maintenance']);
    expect([...sim.notifications.contactPoints.keys()]).toEqual([
      'default-email',
      'o11y-aaaaaaaaaaaaaaaaaaaa',
    ]);
    const again = await publish(client, [slack()], policy([]), [], { force: false, prune: true });
    expect(again.plan.steps.every((s) => s.action === 'unchanged')).toBe(true);
  });

  it('leaves an object of another provenance alone, as Grafana would refuse the change (403)', async () => {
    const { sim, client, other } = await start();
    // Another tool (Terraform) writes through the API without X-Disable-Provenance: provenance "api".
    await other.request('POST', '/api/v1/provisioning/mute-timings', { body: offHours });
    expect(sim.notifications.muteTimings.get('off-hours')?.provenance).toBe('api');
    const direct = await other.request('PUT', '/api/v1/provisioning/mute-timings/off-hours', {
      body: offHours,
      headers: { 'x-disable-provenance': 'true' },
    });
    expect(direct.status).toBe(403);
    const { plan, refusals } = await publish(client);
    expect(actions(plan)).toContain('foreign mute timing off-hours');
    expect(refusals[0]!.message).toContain('is provisioned with provenance "api"');
    expect(refusals[0]!.id).toBe('publish/grafana-notification-foreign');
  });

  it("reports Grafana's 400 with what to do, and never the secret value", async () => {
    const { sim, client } = await start();
    // A tree routing to a contact point the build does not define: Grafana validates references.
    const broken = policy([{ receiver: 'payments-oncall' }]);
    const error = await publish(client, [slack(), pager], broken).catch((e: Error) => e);
    expect(error).toBeInstanceOf(O11yErrors);
    const text = (error as O11yErrors).message;
    expect(text).toContain(
      "replacing policy tree notification policy tree: Grafana answered 400: invalid object specification: receiver 'payments-oncall' does not exist",
    );
    expect(text).toContain('fix the definition and rebuild');
    expect(text).not.toContain(SLACK_URL);
    expect(sim.notifications.policy.receiver).toBe('grafana-default-email');
    // What was written before the refusal is recorded: the next run sees no drift.
    const fixed = await publish(client);
    expect(fixed.refusals).toEqual([]);
    expect(actions(fixed.plan).filter((a) => !a.startsWith('unchanged'))).toEqual([
      'update policy tree policies',
    ]);
  });

  it('answers reads with secure settings redacted, as Grafana does', async () => {
    const { client } = await start();
    await publish(client);
    const points = (await client.request('GET', '/api/v1/provisioning/contact-points')).text;
    expect(points).not.toContain(SLACK_URL);
    expect(JSON.parse(points).find((p: Json) => p.uid === 'o11y-aaaaaaaaaaaaaaaaaaaa').settings.url).toBe(
      REDACTED,
    );
  });

  it('says which variable is missing, without any value, before writing anything', async () => {
    const { sim, client } = await start();
    const plan = await planNotifications(tree([slack(), pager], policy(), [offHours]), client, {
      force: false,
      prune: false,
    });
    const before = sim.mutations;
    const only = { ...secrets, env: { O11Y_TEST_PD_KEY: env.O11Y_TEST_PD_KEY } };
    const error = await applyNotifications(plan, client, () => {}, only).catch((e: Error) => e);
    expect(sim.mutations - before).toBe(0);
    expect(String(error)).not.toContain(env.O11Y_TEST_PD_KEY);
    // Two contact points need the same variable: one error names both.
    const twice = { ...slack(), uid: 'o11y-cccccccccccccccccccc', name: 'payments-slack-2' };
    const both = await planNotifications(tree([slack(), twice], policy([]), []), client, {
      force: false,
      prune: false,
    });
    const once = await applyNotifications(both, client, () => {}, only).catch((e: O11yErrors) => e);
    expect((once as O11yErrors).diagnostics.map((d) => d.message)).toEqual([
      'contact point payments-slack: O11Y_TEST_SLACK_URL, which its url refers to, is not set (and for payments-slack-2)',
    ]);
    expect(String(error)).toContain(
      'contact point payments-slack: O11Y_TEST_SLACK_URL, which its url refers to, is not set',
    );
  });
});
