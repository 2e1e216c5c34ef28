import { afterEach, describe, expect, it } from 'vitest';
import { grafanaContent } from '../src/dist/grafana.ts';
import { publishGrafana } from '../src/grafana/run.ts';
import { GrafanaSimulator } from '../src/grafana-simulator/index.ts';
import { fixtureTree, largeFixture } from './support/fixtures.ts';

const TOKEN = 'glsa_fault_canary_token_42';

let simulator: GrafanaSimulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

describe.each([11, 13] as const)('publishing through faults, Grafana %i (simulator)', (version) => {
  it('ends with every dashboard present, at the right version, in the right folder, and nothing else changed', async () => {
    const sim = new GrafanaSimulator({
      grafanaVersion: version,
      tokens: { [TOKEN]: { login: 'sa-o11y-ci', role: 'Editor' } },
      faults: {
        seed: 20261122,
        serverErrorRate: 0.1,
        rateLimitRate: 0.05,
        retryAfterSeconds: 1,
        lostResponseRate: 0.05,
        slowRate: 0.2,
        slowMinMs: 5,
        slowMaxMs: 60,
      },
    });
    simulator = sim;
    await sim.start();
    // Things o11y does not own, which must come through untouched.
    const bob = { login: 'bob', ref: 'user:bob', role: 'Editor' as const };
    sim.store.createFolder({ uid: 'team-x', title: 'Team X' }, bob);
    sim.store.saveDashboard(
      {
        data: { uid: 'team-x-main', title: 'Team X' },
        folderUid: 'team-x',
        overwrite: false,
        message: 'by hand',
        expectedVersion: undefined,
      },
      bob,
    );
    const foreignBefore = structuredClone(sim.store.dashboards.get('team-x-main'));

    const { tree, dashboards } = largeFixture(36);
    const first = await publishGrafana({
      url: sim.url,
      token: TOKEN,
      tree,
      message: 'o11y publish c0ffee',
      concurrency: 8,
    });
    expect(first.summary?.created).toBe(36);
    expect(first.summary?.retries).toBeGreaterThan(0);
    const injected = sim.requests.filter((r) => r.fault !== undefined);
    expect(injected.some((r) => r.status === 429)).toBe(true);
    expect(injected.some((r) => r.status >= 500 && r.fault === 'server-error')).toBe(true);
    expect(injected.some((r) => r.fault === 'lost-response')).toBe(true);

    // Second build changes three dashboards; published through the same faults.
    const changedUids = new Set(['svc-001', 'svc-017', 'svc-030']);
    const next = dashboards.map((d) =>
      changedUids.has(d.uid) ? { ...d, query: `sum(up{service="${d.uid}"})` } : d,
    );
    const nextTree = fixtureTree(next, {
      platform: { uid: 'platform', title: 'Platform' },
      'platform/databases': { uid: 'platform-db', title: 'Databases' },
      services: { uid: 'services', title: 'Services' },
    });
    const second = await publishGrafana({
      url: sim.url,
      token: TOKEN,
      tree: nextTree,
      message: 'o11y publish d00d',
      concurrency: 8,
    });
    expect(second.summary).toMatchObject({ created: 0, updated: 3, unchanged: 33 });

    const expected = grafanaContent(nextTree);
    const store = sim.store;
    expect([...store.dashboards.keys()].sort()).toEqual(
      [...expected.dashboards.map((d) => d.uid), 'team-x-main'].sort(),
    );
    for (const d of expected.dashboards) {
      const stored = store.dashboards.get(d.uid)!;
      expect(stored.folderUid, d.uid).toBe(d.folderUid);
      expect(stored.version, d.uid).toBe(changedUids.has(d.uid) ? 2 : 1);
      expect(store.versions.get(d.uid)?.map((v) => v.message.split(' (')[0])).toEqual(
        changedUids.has(d.uid) ? ['o11y publish c0ffee', 'o11y publish d00d'] : ['o11y publish c0ffee'],
      );
      const panel = (stored.data.panels as Array<{ targets: Array<{ expr: string }> }>)[0]!;
      expect(panel.targets[0]!.expr).toBe(
        (d.json.panels as Array<{ targets: Array<{ expr: string }> }>)[0]!.targets[0]!.expr,
      );
    }
    expect([...store.folders.keys()].sort()).toEqual(
      [...expected.folders.map((f) => f.uid), 'team-x'].sort(),
    );
    for (const f of expected.folders) {
      expect(store.folders.get(f.uid)).toMatchObject({ title: f.title, parentUid: f.parentUid, version: 1 });
    }
    expect(store.dashboards.get('team-x-main')).toEqual(foreignBefore);
    expect(store.folders.get('team-x')?.version).toBe(1);

    // And once more: nothing to do, even through faults.
    const mutations = store.mutations;
    const third = await publishGrafana({
      url: sim.url,
      token: TOKEN,
      tree: nextTree,
      message: 'o11y publish d00d',
    });
    expect(third.summary).toMatchObject({ created: 0, updated: 0, unchanged: 36, foldersWritten: 0 });
    expect(store.mutations).toBe(mutations);
    expect(JSON.stringify(sim.requests)).not.toContain(TOKEN);
  });
});
