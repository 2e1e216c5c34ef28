import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command as publish } from '../../cli/src/commands/publish.ts';
import { GrafanaSimulator } from '../src/grafana-simulator/index.ts';
import { writeFixtureProject } from './support/fixtures.ts';

const CANARY = 'glsa_CANARY_never_print_me_4242';

let simulator: GrafanaSimulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  delete process.env.GRAFANA_TOKEN;
  delete process.env.GRAFANA_TOKEN_FILE;
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await publish.run(args, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    root: dir!,
    colour: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function setup() {
  simulator = new GrafanaSimulator({
    grafanaVersion: 12,
    tokens: { [CANARY]: { login: 'sa-ci', role: 'Editor' } },
  });
  await simulator.start();
  dir = await mkdtemp(path.join(tmpdir(), 'o11y-cli-'));
  await writeFixtureProject(dir);
  return simulator;
}

describe('o11y publish grafana', () => {
  it('prints the dry-run plan, then publishes, then finds nothing to do; the token never appears', async () => {
    const sim = await setup();
    await writeFile(path.join(dir!, 'token'), `${CANARY}\n`);
    process.env.GRAFANA_TOKEN_FILE = path.join(dir!, 'token');
    const dry = await run(['grafana', '--url', sim.url, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('create    dashboard "API" (api): in services');
    expect(dry.out).toContain('dry run: nothing was changed');
    expect(sim.mutations).toBe(0);
    const real = await run(['grafana', '--url', sim.url]);
    expect(real.out).toContain('published: 2 created, 0 updated, 0 deleted, 0 unchanged, 1 folder writes');
    const again = await run(['grafana', '--url', sim.url]);
    expect(again.out).toContain('published: 0 created, 0 updated, 0 deleted, 2 unchanged');
    for (const r of [dry, real, again]) expect(r.out + r.err).not.toContain(CANARY);
  });

  it('exits 1 with the drift named, and 1 with a clear message on a rejected token, never printing it', async () => {
    const sim = await setup();
    process.env.GRAFANA_TOKEN = CANARY;
    await run(['grafana', '--url', sim.url]);
    sim.editAsHuman(
      'api',
      (d) => {
        d.title = 'API!';
      },
      { login: 'carol' },
    );
    const drift = await run(['grafana', '--url', sim.url]);
    expect(drift.code).toBe(1);
    expect(drift.err).toMatch(
      /^dashboards\/fixture\.ts:\d+:1 {2}dashboard "API" \(api\) was edited in Grafana by carol at .*\(publish\/grafana-drift\)/m,
    );
    process.env.GRAFANA_TOKEN = `${CANARY}x`;
    const rejected = await run(['grafana', '--url', sim.url]);
    expect(rejected.code).toBe(1);
    expect(rejected.err).toContain('Grafana answered 401');
    expect(rejected.err).toContain('hint: the token was not accepted');
    expect(rejected.out + rejected.err + drift.out + drift.err).not.toContain(CANARY);
  });

  it('refuses to run without a token or with both token variables', async () => {
    const sim = await setup();
    expect((await run(['grafana', '--url', sim.url])).err).toContain('no Grafana token');
    process.env.GRAFANA_TOKEN = CANARY;
    process.env.GRAFANA_TOKEN_FILE = '/nonexistent';
    const both = await run(['grafana', '--url', sim.url]);
    expect(both.err).toContain('both GRAFANA_TOKEN and GRAFANA_TOKEN_FILE are set');
    expect(both.err).not.toContain(CANARY);
  });
});
