import { O11yError, O11yErrors } from '@o11y/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { DistTree } from '../src/built/tree.ts';
import { detectGrafana } from '../src/grafana/detect.ts';
import { applyGrafanaPlan, planGrafana } from '../src/grafana/publish.ts';
import { publishGrafana } from '../src/grafana/run.ts';
import { GrafanaSimulator } from '../src/grafana-simulator/index.ts';
import { HttpClient } from '../src/http/client.ts';
import { fixtureTree } from './support/fixtures.ts';

const TOKEN = 'glsa_canary_0123456789abcdef';
const VIEWER_TOKEN = 'glsa_viewer_canary_987';
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

const dashboards = [
  { uid: 'overview', title: 'Overview', dir: '' },
  { uid: 'pg', title: 'PostgreSQL', dir: 'platform/databases' },
  { uid: 'redis', title: 'Redis', dir: 'platform/databases' },
  { uid: 'payments', title: 'Payments', dir: 'services' },
];
const folders = {
  platform: { uid: 'platform', title: 'Platform' },
  'platform/databases': { uid: 'platform-db', title: 'Databases' },
};

let simulator: GrafanaSimulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function start(grafanaVersion: 11 | 12 | 13) {
  simulator = new GrafanaSimulator({
    grafanaVersion,
    tokens: {
      [TOKEN]: { login: 'sa-o11y-ci', role: 'Editor' },
      [VIEWER_TOKEN]: { login: 'sa-viewer', role: 'Viewer' },
    },
    maxBodyBytes: 64 * 1024,
  });
  await simulator.start();
  return simulator;
}

const publish = (
  sim: GrafanaSimulator,
  tree = fixtureTree(dashboards, folders),
  extra: Partial<Parameters<typeof publishGrafana>[0]> = {},
) =>
  publishGrafana({ url: sim.url, token: TOKEN, tree, message: 'o11y publish abc123', retry: fast, ...extra });

/** Plan against the simulator without applying, so a test can change Grafana between plan and apply. */
async function planOnly(sim: GrafanaSimulator, tree: DistTree) {
  const client = new HttpClient({
    baseUrl: sim.url,
    headers: { authorization: `Bearer ${TOKEN}` },
    secrets: [TOKEN],
    retry: fast,
  });
  const { api, version } = await detectGrafana(client, { prefer: 'auto', namespace: 'default' });
  const plan = await planGrafana(tree, api, version, { force: false, prune: false, concurrency: 2 });
  return { plan, apply: () => applyGrafanaPlan(plan, api, { concurrency: 2, force: false, message: 'm' }) };
}

function writes(sim: GrafanaSimulator) {
  return sim.requests.filter((r) => r.method !== 'GET').length;
}

describe.each([11, 12, 13] as const)('publish grafana to Grafana %i (simulator)', (version) => {
  it('detects the API Grafana serves', async () => {
    const sim = await start(version);
    const { plan } = await publish(sim, undefined, { dryRun: true });
    expect(plan.api).toBe(
      version === 11
        ? '/api (classic)'
        : version === 12
          ? 'dashboard.grafana.app/v1beta1'
          : 'dashboard.grafana.app/v1',
    );
  });

  it('dry-run plans every create and changes nothing', async () => {
    const sim = await start(version);
    const { plan, summary } = await publish(sim, undefined, { dryRun: true });
    expect(summary).toBeUndefined();
    expect(plan.folders.map((f) => [f.action, f.folder.path])).toEqual([
      ['create', 'platform'],
      ['create', 'services'],
      ['create', 'platform/databases'],
    ]);
    expect(plan.dashboards.map((d) => [d.action, d.uid])).toEqual([
      ['create', 'overview'],
      ['create', 'pg'],
      ['create', 'redis'],
      ['create', 'payments'],
    ]);
    expect(sim.mutations).toBe(0);
    expect(writes(sim)).toBe(0);
  });

  it('creates folders parents first and dashboards in their folders, marked as owned, with the commit in the history', async () => {
    const sim = await start(version);
    const { summary } = await publish(sim);
    expect(summary).toMatchObject({ created: 4, updated: 0, deleted: 0, foldersWritten: 3 });
    const store = sim.store;
    expect(store.folders.get('platform-db')).toMatchObject({ title: 'Databases', parentUid: 'platform' });
    expect(store.folders.get('o11y-services')).toMatchObject({ title: 'services', parentUid: undefined });
    expect(store.dashboards.get('pg')?.folderUid).toBe('platform-db');
    expect(store.dashboards.get('overview')?.folderUid).toBeUndefined();
    const history = store.versions.get('pg')!;
    expect(history.map((v) => v.message)).toEqual([
      'o11y publish abc123 (dist/grafana/dashboards/platform/databases/pg.json)',
    ]);
    expect(history[0]!.createdBy.login).toBe('sa-o11y-ci');
    const folderCreates = sim.requests.filter((r) => r.method === 'POST' && r.path.includes('folders'));
    expect(folderCreates).toHaveLength(3);
    const order = sim.requests.filter((r) => r.method !== 'GET').map((r) => r.path);
    const lastFolder = Math.max(...order.map((p, i) => (p.includes('folders') ? i : -1)));
    const firstDashboard = order.findIndex((p) => p.includes('dashboards'));
    expect(lastFolder).toBeLessThan(firstDashboard);
  });

  it('makes zero writes when the same build is published again', async () => {
    const sim = await start(version);
    await publish(sim);
    const before = { mutations: sim.mutations, writes: writes(sim) };
    const { summary } = await publish(sim);
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 4, foldersWritten: 0 });
    expect(sim.mutations).toBe(before.mutations);
    expect(writes(sim)).toBe(before.writes);
  });

  it('updates only the dashboard that changed, and moves a dashboard to its new folder', async () => {
    const sim = await start(version);
    await publish(sim);
    const changed = dashboards.map((d) =>
      d.uid === 'redis'
        ? { ...d, query: 'sum(redis_connected_clients)' }
        : d.uid === 'payments'
          ? { ...d, dir: '' }
          : d,
    );
    const { plan, summary } = await publish(sim, fixtureTree(changed, folders));
    expect(plan.dashboards.filter((d) => d.action === 'update').map((d) => [d.uid, d.detail])).toEqual([
      ['payments', 'moved services → General'],
      ['redis', 'content changed'],
    ]);
    expect(summary).toMatchObject({ updated: 2, created: 0 });
    expect(sim.store.dashboards.get('payments')?.folderUid).toBeUndefined();
    expect(sim.store.dashboards.get('redis')?.version).toBe(2);
  });

  it('refuses to overwrite a dashboard edited in Grafana, naming who and when, unless --force', async () => {
    const sim = await start(version);
    await publish(sim);
    editPgByHand(sim);
    const mutations = sim.mutations;
    const changed = dashboards.map((d) => (d.uid === 'pg' ? { ...d, query: 'sum(pg_up)' } : d));
    const error = await publish(sim, fixtureTree(changed, folders)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(O11yErrors);
    const message = (error as O11yErrors).message;
    expect(message).toMatch(
      /dashboard "PostgreSQL" \(pg\) was edited in Grafana by alice at 2026-01-01T00:00:\d\dZ \(version 2: "tweak"\)/,
    );
    expect((error as O11yErrors).diagnostics[0]?.source?.file).toBe('dashboards/fixture.ts');
    expect(sim.mutations).toBe(mutations);
    // Even an unchanged build refuses: publishing it would silently keep the hand edit forever.
    await expect(publish(sim)).rejects.toThrow(/edited in Grafana by alice/);
    const { summary } = await publish(sim, fixtureTree(changed, folders), { force: true });
    expect(summary?.updated).toBe(1);
    expect(sim.store.dashboards.get('pg')?.title).toBe('PostgreSQL');
  });

  it('prunes only owned dashboards the build no longer defines, and never touches others', async () => {
    const sim = await start(version);
    await publish(sim);
    sim.store.saveDashboard(
      {
        data: { uid: 'handmade', title: 'Hand made' },
        folderUid: 'platform',
        overwrite: false,
        message: '',
        expectedVersion: undefined,
      },
      { login: 'bob', ref: 'user:bob', role: 'Editor' },
    );
    const fewer = dashboards.filter((d) => d.uid !== 'redis');
    const kept = await publish(sim, fixtureTree(fewer, folders));
    expect(kept.plan.dashboards.find((d) => d.uid === 'redis')?.action).toBe('keep');
    expect(sim.store.dashboards.has('redis')).toBe(true);
    const pruned = await publish(sim, fixtureTree(fewer, folders), { prune: true });
    expect(pruned.summary?.deleted).toBe(1);
    expect(sim.store.dashboards.has('redis')).toBe(false);
    expect(sim.store.dashboards.has('handmade')).toBe(true);
  });

  it('publishes the other dashboards when one was edited in Grafana, and says what --force would do', async () => {
    const sim = await start(version);
    await publish(sim);
    editPgByHand(sim);
    const changed = dashboards.map((d) =>
      d.uid === 'pg' || d.uid === 'redis' ? { ...d, query: `sum(${d.uid}_up)` } : d,
    );
    const error = await publish(sim, fixtureTree(changed, folders)).catch((e: unknown) => e);
    expect((error as O11yErrors).diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(
        /^dashboard "PostgreSQL" \(pg\) was edited in Grafana by alice .*; not published\. --force would overwrite that edit with the build's dashboard \(dist\/grafana\/dashboards\/platform\/databases\/pg\.json\)$/,
      ),
    ]);
    expect(sim.store.dashboards.get('redis')?.version).toBe(2);
    expect(sim.store.dashboards.get('pg')?.title).toBe('PostgreSQL (tuned by hand)');
  });

  it('still owns what it published through either API when the other one is asked for', async () => {
    const sim = await start(version);
    await publish(sim);
    for (const api of ['classic', 'apis', 'auto'] as const) {
      if (api === 'apis' && version === 11) continue;
      const { plan } = await publish(sim, undefined, { api, dryRun: true });
      expect(plan.dashboards.map((d) => `${d.uid} ${d.action}`)).toEqual(
        dashboards.map((d) => `${d.uid} unchanged`),
      );
    }
  });

  it('leaves a dashboard o11y does not own alone, publishes the rest, and fails naming it', async () => {
    const sim = await start(version);
    sim.store.saveDashboard(
      {
        data: { uid: 'payments', title: 'Team payments' },
        folderUid: undefined,
        overwrite: false,
        message: '',
        expectedVersion: undefined,
      },
      { login: 'bob', ref: 'user:bob', role: 'Editor' },
    );
    await expect(publish(sim)).rejects.toThrow(
      /"Payments" \(payments\) exists in Grafana and is not managed by o11y; not published, and --force would not change that/,
    );
    expect(sim.store.dashboards.get('payments')?.title).toBe('Team payments');
    expect([...sim.store.dashboards.keys()].sort()).toEqual(['overview', 'payments', 'pg', 'redis']);
  });

  it('reports 401, 403 and 413 with the Grafana message and never shows the token', async () => {
    const sim = await start(version);
    const bad = await publishGrafana({
      url: sim.url,
      token: `${TOKEN}-wrong`,
      tree: fixtureTree(dashboards, folders),
      message: 'm',
      retry: fast,
    }).catch((e: Error) => e);
    expect(String(bad)).toMatch(/Grafana answered 401: (Invalid API key|Unauthorized)/);
    expect(String(bad)).not.toContain(TOKEN);
    const viewer = await publishGrafana({
      url: sim.url,
      token: VIEWER_TOKEN,
      tree: fixtureTree(dashboards, folders),
      message: 'm',
      retry: fast,
    }).catch((e: Error) => e);
    expect(String(viewer)).toMatch(
      /Grafana answered 403: You'll need additional permissions.*folders:create/,
    );
    expect(String(viewer)).not.toContain(VIEWER_TOKEN);
    const huge = [{ uid: 'huge', title: 'Huge', dir: '', query: `sum(up{job="${'x'.repeat(70_000)}"})` }];
    const tooLarge = await publish(sim, fixtureTree(huge)).catch((e: Error) => e);
    expect(String(tooLarge)).toMatch(
      /creating dashboard "Huge" \(huge\): Grafana answered 413: request body too large/,
    );
    expect((tooLarge as O11yErrors).diagnostics[0]?.hint).toMatch(/larger than Grafana/);
  });

  it('reports a folder deleted in Grafana while publishing (404) with the Grafana message and a hint; publishing again recreates it', async () => {
    const sim = await start(version);
    await publish(sim);
    const renamed = { ...folders, 'platform/databases': { uid: 'platform-db', title: 'Data stores' } };
    const { plan, apply } = await planOnly(sim, fixtureTree(dashboards, renamed));
    expect(plan.folders.find((f) => f.folder.uid === 'platform-db')?.action).toBe('update');
    // Someone deletes the folder, and with it its dashboards, as Grafana does.
    sim.store.deleteDashboard('pg');
    sim.store.deleteDashboard('redis');
    sim.store.deleteFolder('platform-db');
    const deleted = await apply().catch((e: unknown) => e);
    expect(deleted).toBeInstanceOf(O11yErrors);
    const [problem, ...others] = (deleted as O11yErrors).diagnostics;
    expect(others).toEqual([]);
    expect(problem?.id).toBe('publish/grafana-404');
    expect(problem?.message).toMatch(
      /^updating folder "Data stores" \(platform-db\): Grafana answered 404: .*not found/,
    );
    expect(problem?.hint).toMatch(/deleted in Grafana while publishing, run the publish again/);
    expect(problem?.source?.file).toBe('dashboards/fixture.ts');
    expect(String(deleted)).not.toContain(TOKEN);

    const again = await publish(sim, fixtureTree(dashboards, renamed));
    expect(again.summary).toMatchObject({ created: 2, updated: 0, foldersWritten: 1 });
    expect(sim.store.folders.get('platform-db')).toMatchObject({
      title: 'Data stores',
      parentUid: 'platform',
    });
    expect(sim.store.dashboards.get('pg')?.folderUid).toBe('platform-db');
  });
});

/** Alice retitles the PostgreSQL dashboard in Grafana: drift. */
function editPgByHand(sim: GrafanaSimulator): void {
  sim.editAsHuman(
    'pg',
    (d) => {
      d.title = 'PostgreSQL (tuned by hand)';
    },
    { login: 'alice', message: 'tweak' },
  );
}

describe('publish grafana races (simulator)', () => {
  it('reports 412 version-mismatch when someone saves between the plan and the write (classic API)', async () => {
    const sim = await start(11);
    await publish(sim);
    const changed = dashboards.map((d) => (d.uid === 'pg' ? { ...d, query: 'sum(pg_up)' } : d));
    const { apply } = await planOnly(sim, fixtureTree(changed, folders));
    sim.editAsHuman('pg', (d) => {
      d.description = 'edited meanwhile';
    });
    await expect(apply()).rejects.toThrow(
      /updating dashboard "PostgreSQL" \(pg\): Grafana answered 412: The dashboard has been changed by someone else/,
    );
  });

  it.each([12, 13] as const)(
    'reports a dashboard deleted in Grafana %i while publishing (404 from /apis) with its source and a hint',
    async (version) => {
      const sim = await start(version);
      await publish(sim);
      const changed = dashboards.map((d) => (d.uid === 'pg' ? { ...d, query: 'sum(pg_up)' } : d));
      const { apply } = await planOnly(sim, fixtureTree(changed, folders));
      sim.store.deleteDashboard('pg');
      const deleted = await apply().catch((e: unknown) => e);
      const [problem] = (deleted as O11yErrors).diagnostics;
      expect(problem?.message).toMatch(
        /^updating dashboard "PostgreSQL" \(pg\): Grafana answered 404: dashboards\.dashboard\.grafana\.app "pg" not found/,
      );
      expect(problem?.hint).toMatch(/run the publish again/);
      expect(problem?.source?.file).toBe('dashboards/fixture.ts');
      expect(sim.store.dashboards.has('pg')).toBe(false);
    },
  );

  it('reports a wrong Grafana URL (404 on /api/health) with a hint to check it', async () => {
    const sim = await start(12);
    const wrong = await publishGrafana({
      url: `${sim.url}/grafana`,
      token: TOKEN,
      tree: fixtureTree(dashboards, folders),
      message: 'm',
      retry: fast,
    }).catch((e: unknown) => e);
    expect(String(wrong)).toMatch(/checking \/api\/health: Grafana answered 404: Not found/);
    expect(wrong).toBeInstanceOf(O11yError);
    expect((wrong as O11yError).hint).toMatch(/check the Grafana URL \(with any sub-path\)/);
    // The base URL's sub-path is kept (Grafana can be served from one), not replaced by the API path.
    expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /grafana/api/health 404',
    ]);
  });
});
