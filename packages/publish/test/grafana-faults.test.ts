import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardSpec, grafanaContent } from '../src/built/grafana.ts';
import type { DistTree } from '../src/built/tree.ts';
import { contentChecksum } from '../src/grafana/ownership.ts';
import { publishGrafana } from '../src/grafana/run.ts';
import { GrafanaSimulator } from '../src/grafana-simulator/index.ts';
import { fixtureTree, largeFixture } from './support/fixtures.ts';
import { buildSampleOrganisation } from './support/sample-organisation.ts';

const TOKEN = 'glsa_fault_canary_token_42';

/** Issue 9's fault mix: 10% 5xx (half of writes' answers lost on top), 5% 429 with Retry-After, slow answers. */
const FAULTS = {
  seed: 20261122,
  serverErrorRate: 0.1,
  rateLimitRate: 0.05,
  retryAfterSeconds: 1,
  lostResponseRate: 0.05,
  slowRate: 0.2,
  slowMinMs: 5,
  slowMaxMs: 60,
};

let simulator: GrafanaSimulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

/** A faulty simulator holding a folder and a dashboard o11y does not own, which must come through untouched. */
async function faultySimulatorWithForeignContent(version: 11 | 12 | 13) {
  const sim = new GrafanaSimulator({
    grafanaVersion: version,
    tokens: { [TOKEN]: { login: 'sa-o11y-ci', role: 'Editor' } },
    faults: FAULTS,
  });
  simulator = sim;
  await sim.start();
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
  const foreign = {
    dashboard: structuredClone(sim.store.dashboards.get('team-x-main')),
    folder: structuredClone(sim.store.folders.get('team-x')),
  };
  return { sim, foreign };
}

function expectEveryFaultInjected(sim: GrafanaSimulator) {
  const injected = sim.requests.filter((r) => r.fault !== undefined);
  expect(injected.some((r) => r.status === 429)).toBe(true);
  expect(injected.some((r) => r.status >= 500 && r.fault === 'server-error')).toBe(true);
  expect(injected.some((r) => r.fault === 'lost-response')).toBe(true);
}

type ForeignContent = Awaited<ReturnType<typeof faultySimulatorWithForeignContent>>['foreign'];

/**
 * Grafana holds exactly the build and the foreign content: every dashboard with the built content, in
 * its folder, at the version its history implies (`history(d)`: the version messages expected for it);
 * every folder with its title and parent, written once; the foreign folder and dashboard untouched.
 */
function expectGrafanaHolds(
  sim: GrafanaSimulator,
  tree: DistTree,
  foreign: ForeignContent,
  history: (d: DashboardSpec) => string[],
) {
  const expected = grafanaContent(tree);
  const store = sim.store;
  expect([...store.dashboards.keys()].sort()).toEqual(
    [...expected.dashboards.map((d) => d.uid), 'team-x-main'].sort(),
  );
  for (const d of expected.dashboards) {
    const stored = store.dashboards.get(d.uid)!;
    const messages = history(d);
    expect(stored.folderUid, d.uid).toBe(d.folderUid);
    expect(stored.title, d.uid).toBe(d.title);
    expect(stored.version, d.uid).toBe(messages.length);
    expect(
      store.versions.get(d.uid)?.map((v) => v.message),
      d.uid,
    ).toEqual(messages);
    // The content Grafana holds is exactly what the build wrote (o11y's markers aside).
    expect(contentChecksum(stored.data), d.uid).toBe(contentChecksum(d.json));
  }
  expect([...store.folders.keys()].sort()).toEqual([...expected.folders.map((f) => f.uid), 'team-x'].sort());
  for (const f of expected.folders) {
    expect(store.folders.get(f.uid)).toMatchObject({ title: f.title, parentUid: f.parentUid, version: 1 });
  }
  expect(store.dashboards.get('team-x-main')).toEqual(foreign.dashboard);
  expect(store.folders.get('team-x')).toEqual(foreign.folder);
}

/** Publishing the same build again, through the same faults, sends not one write. */
async function expectRepublishWritesNothing(sim: GrafanaSimulator, tree: DistTree, message: string) {
  const mutations = sim.store.mutations;
  const requestsBefore = sim.requests.length;
  const again = await publishGrafana({ url: sim.url, token: TOKEN, tree, message, concurrency: 8 });
  expect(again.summary).toMatchObject({
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: grafanaContent(tree).dashboards.length,
    foldersWritten: 0,
  });
  expect(sim.store.mutations).toBe(mutations);
  expect(sim.requests.slice(requestsBefore).filter((r) => r.method !== 'GET')).toEqual([]);
  expect(JSON.stringify(sim.requests)).not.toContain(TOKEN);
}

describe('publishing the sample organisation through faults (simulator)', () => {
  let organisation: DistTree;
  beforeAll(async () => {
    organisation = await buildSampleOrganisation();
  });

  it.each([11, 13] as const)(
    'Grafana %i: every dashboard present, at the right version, in the right folder, nothing else changed; republishing writes nothing',
    async (version) => {
      const { sim, foreign } = await faultySimulatorWithForeignContent(version);
      const { dashboards, folders } = grafanaContent(organisation);
      // Every dashboard file the build wrote is one to publish, and they sit in several folders.
      const built = [...organisation.files.keys()].filter(
        (p) => p.startsWith('grafana/dashboards/') && p.endsWith('.json'),
      );
      expect(dashboards.map((d) => d.path).sort()).toEqual(built.sort());
      expect(folders.length).toBeGreaterThan(1);

      const first = await publishGrafana({
        url: sim.url,
        token: TOKEN,
        tree: organisation,
        message: 'o11y publish 5a3c1e',
        concurrency: 8,
      });
      expect(first.summary).toMatchObject({ created: dashboards.length, foldersWritten: folders.length });
      expect(first.summary?.retries).toBeGreaterThan(0);
      expectEveryFaultInjected(sim);

      expectGrafanaHolds(sim, organisation, foreign, (d) => [`o11y publish 5a3c1e (dist/${d.path})`]);
      await expectRepublishWritesNothing(sim, organisation, 'o11y publish 5a3c1e');
    },
  );
});

describe.each([11, 13] as const)(
  'publishing nested folders and updates through faults, Grafana %i (simulator)',
  (version) => {
    it('ends with every dashboard present, at the right version, in the right folder, and nothing else changed', async () => {
      const { sim, foreign } = await faultySimulatorWithForeignContent(version);

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
      expectEveryFaultInjected(sim);

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

      expectGrafanaHolds(sim, nextTree, foreign, (d) =>
        changedUids.has(d.uid)
          ? [`o11y publish c0ffee (dist/${d.path})`, `o11y publish d00d (dist/${d.path})`]
          : [`o11y publish c0ffee (dist/${d.path})`],
      );
      await expectRepublishWritesNothing(sim, nextTree, 'o11y publish d00d');
    });
  },
);
