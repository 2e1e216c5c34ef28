import { afterEach, describe, expect, it } from 'vitest';
import { treeFromFiles } from '../src/built/tree.ts';
import { HttpClient } from '../src/http/client.ts';
import { RulerSimulator } from '../src/ruler-simulator/index.ts';
import { publishRuler } from '../src/rules/mimir.ts';

const API_GROUPS = `groups:
  - name: api
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
  - name: api-alerts
    rules:
      - alert: ApiDown
        expr: sum by (job) (up) == 0
        for: 5m
`;

let ruler: RulerSimulator | undefined;
afterEach(async () => {
  await ruler?.stop();
  ruler = undefined;
});

async function setup() {
  ruler = new RulerSimulator();
  await ruler.start();
  const client = new HttpClient({
    baseUrl: ruler.url,
    headers: { 'x-scope-orgid': 'team-a' },
    retry: { baseDelayMs: 1 },
  });
  return { ruler, client };
}

describe('publish rules to the Mimir ruler (simulator)', () => {
  it('creates the groups of each namespace under the tenant, then makes no writes on republish', async () => {
    const { ruler, client } = await setup();
    const tree = treeFromFiles({ 'mimir/o11y-api.yml': API_GROUPS });
    const steps = await publishRuler({ tree, client });
    expect(steps.map((s) => [s.action, s.namespace, s.group])).toEqual([
      ['create', 'o11y-api', 'api'],
      ['create', 'o11y-api', 'api-alerts'],
    ]);
    expect([...ruler.namespaces('team-a').get('o11y-api')!.keys()]).toEqual(['api', 'api-alerts']);
    expect(ruler.tenants.has('anonymous')).toBe(false);
    const writesBefore = ruler.requests.filter((r) => r.method !== 'GET').length;
    const again = await publishRuler({ tree, client });
    expect(again.every((s) => s.action === 'unchanged')).toBe(true);
    expect(ruler.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('updates changed groups, deletes removed ones, and leaves namespaces it does not own alone', async () => {
    const { ruler, client } = await setup();
    await publishRuler({
      tree: treeFromFiles({ 'mimir/o11y-api.yml': API_GROUPS, 'mimir/o11y-old.yml': API_GROUPS }),
      client,
    });
    ruler.namespaces('team-a').set('someone-else', new Map([['theirs', { name: 'theirs', rules: [] }]]));
    const changed = `groups:\n  - name: api\n    rules:\n      - record: job:up:sum\n        expr: sum by (job, instance) (up)\n`;
    const tree = treeFromFiles({ 'mimir/o11y-api.yml': changed });
    const kept = await publishRuler({ tree, client, ownedPrefix: 'o11y-' });
    expect(kept.filter((s) => s.action !== 'unchanged').map((s) => [s.action, s.namespace, s.group])).toEqual(
      [
        ['update', 'o11y-api', 'api'],
        ['delete', 'o11y-api', 'api-alerts'],
        ['keep-namespace', 'o11y-old', undefined],
      ],
    );
    expect(ruler.namespaces('team-a').has('o11y-old')).toBe(true);
    await publishRuler({ tree, client, ownedPrefix: 'o11y-', prune: true });
    expect([...ruler.namespaces('team-a').keys()].sort()).toEqual(['o11y-api', 'someone-else']);
  });

  it('names the tenant problem when the ruler refuses the request', async () => {
    const { ruler } = await setup();
    const client = new HttpClient({ baseUrl: ruler.url, retry: { baseDelayMs: 1 } });
    await expect(
      publishRuler({ tree: treeFromFiles({ 'mimir/o11y-api.yml': API_GROUPS }), client }),
    ).rejects.toThrow(/listing rule namespaces: ruler answered 401: no org id/);
  });
});
