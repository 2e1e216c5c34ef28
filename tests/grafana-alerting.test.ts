import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { matchRoutes } from '@o11y/alertmanager';
import { build } from '@o11y/build';
import { DIST, type Diagnostic } from '@o11y/core';
import { policyRoutes } from '@o11y/dashboards';
import {
  applyAlerting,
  applyNotifications,
  HttpClient,
  notificationRefusals,
  planAlerting,
  planNotifications,
  readDistTree,
} from '@o11y/publish';
import { GrafanaSimulator } from '@o11y/publish/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { routingTests } from '../alertmanager/tests.ts';
import { root } from './organisation.ts';

/** The organisation built with every alert Grafana-managed and Prometheus-managed (`alerting: 'both'`). */
let dist: string;
let warnings: readonly Diagnostic[];
beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'o11y-organisation-grafana-'));
  ({ warnings } = await build({ root, out: dist, alerting: 'both', log: () => {} }));
});
afterAll(() => rm(dist, { recursive: true, force: true }));

const read = async (file: string) => readFile(path.join(dist, file), 'utf8');

interface PromRule {
  alert?: string;
  expr: string;
}
interface GrafanaRule {
  title: string;
  data: { refId: string; model: { expr?: string } }[];
}

describe('the sample organisation’s alerts, Grafana-managed', () => {
  it('keeps every alert’s PromQL byte for byte as query A, in the same order', async () => {
    const tree = await readDistTree(dist);
    const groups = [...tree.files.keys()].filter((f) =>
      f.startsWith(`${DIST.grafana.alerting.dir}/rule-groups/`),
    );
    expect(groups.length).toBeGreaterThan(30);
    let compared = 0;
    for (const file of [...tree.files.keys()].filter((f) => f.startsWith(`${DIST.prometheus.rulesDir}/`))) {
      for (const group of (parse(await read(file)) as { groups: { name: string; rules: PromRule[] }[] })
        .groups) {
        const alerts = group.rules.filter((r) => r.alert !== undefined);
        if (alerts.length === 0) continue;
        const grafana = groups.find((g) => g.endsWith(`/${group.name}.json`))!;
        const rules = (JSON.parse(await read(grafana)) as { rules: GrafanaRule[] }).rules;
        expect(rules.map((r) => r.data.find((q) => q.refId === 'A')!.model.expr)).toEqual(
          alerts.map((a) => a.expr),
        );
        expect(rules.every((r, i) => r.title.startsWith(alerts[i]!.alert!))).toBe(true);
        compared += alerts.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('routes every routing test case through the notification policy tree to the same receivers', async () => {
    const tree = policyRoutes(JSON.parse(await read(DIST.grafana.alerting.policies)));
    const contactPoints = new Set(
      (JSON.parse(await read(DIST.grafana.alerting.contactPoints)) as { name: string }[]).map((p) => p.name),
    );
    for (const test of routingTests.routing) {
      const receivers = matchRoutes(tree, test.labels).map((r) => r.receiver);
      expect(receivers, test.name).toEqual(test.receivers);
      for (const receiver of receivers) expect(contactPoints.has(receiver), receiver).toBe(true);
    }
    expect(routingTests.routing.length).toBeGreaterThan(10);
  });

  it('references the organisation’s secrets in the provisioning files, never their values', async () => {
    const contactPoints = await read(DIST.grafana.provisioning.alerting('contact-points'));
    expect(contactPoints).toContain('$__env{PAGERDUTY_ROUTING_KEY}');
    expect(contactPoints).toContain('$__file{/etc/alertmanager/secrets/discord-infrastructure-webhook-url}');
    expect(await read(DIST.grafana.provisioning.alerting('mute-timings'))).toContain(
      'name: weekly-maintenance',
    );
  });

  it('publishes to Grafana (simulator) once: a second run writes nothing', async () => {
    const token = 'glsa_organisation_alerting_0123';
    const sim = new GrafanaSimulator({ tokens: { [token]: { login: 'sa-o11y', role: 'Editor' } } });
    await sim.start();
    try {
      const client = new HttpClient({
        baseUrl: sim.url,
        headers: { authorization: `Bearer ${token}` },
        secrets: [token],
      });
      const tree = await readDistTree(dist);
      const first = await planAlerting(tree, client, { force: false, prune: true });
      const summary = await applyAlerting(first, client, 8);
      expect(summary.created).toBe(first.rules.length);
      const writes = sim.mutations;
      const second = await planAlerting(tree, client, { force: false, prune: true });
      expect(second.rules.every((s) => s.action === 'unchanged')).toBe(true);
      await applyAlerting(second, client, 8);
      expect(sim.mutations).toBe(writes);

      // Its routing: contact points (secrets from the publishing machine), policy tree, mute timings.
      const secrets = {
        env: { PAGERDUTY_ROUTING_KEY: 'pd-organisation-canary' },
        readFile: (file: string) => `https://hooks.example.org/${path.basename(file)}`,
      };
      const routing = await planNotifications(tree, client, { force: false, prune: true });
      expect(notificationRefusals(routing)).toEqual([]);
      const published = await applyNotifications(routing, client, () => {}, secrets);
      expect(published.created).toBe(routing.steps.length - 1);
      expect(sim.notifications.policy.receiver).toBe(
        JSON.parse(await read(DIST.grafana.alerting.policies)).receiver,
      );
      const routed = sim.mutations;
      const again = await planNotifications(tree, client, { force: false, prune: true });
      expect(again.steps.every((s) => s.action === 'unchanged')).toBe(true);
      await applyNotifications(again, client, () => {}, secrets);
      expect(sim.mutations).toBe(routed);
    } finally {
      await sim.stop();
    }
  });
});

describe('the sample organisation’s inhibition, Grafana-managed', () => {
  it('warns once, at the inhibit rule, that Grafana-managed alerts lose it', async () => {
    const inhibition = warnings.filter((w) => w.id === 'grafana/inhibition');
    const rules = (await readFile(path.join(root, 'alertmanager/config.ts'), 'utf8')).split('\n');
    expect(inhibition.map((w) => `${w.source?.file}:${w.source?.line}`)).toEqual(
      rules.flatMap((line, i) => (line.includes('.inhibit(') ? [`alertmanager/config.ts:${i + 1}`] : [])),
    );
    expect(inhibition[0]!.message).toContain('does not apply to Grafana-managed alerts');
  });
});

describe('the sample organisation by default', () => {
  it('is Prometheus-managed: no Grafana alert rules are built', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'o11y-organisation-default-'));
    try {
      const { manifest } = await build({ root, out, verify: false, log: () => {} });
      expect(manifest.artifacts.filter((a) => a.path.startsWith('grafana/alerting/'))).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
