import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { GrafanaSimulator, type GrafanaSimulatorOptions } from '../src/grafana-simulator/index.ts';
import { writeFixtureProject } from './support/fixtures.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/bin/o11y.mjs');
const TOKEN = 'glsa_CANARY_cli_output_7731';
const PASSWORD = 'pw-CANARY-5150';

let simulator: GrafanaSimulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A project with a build of two dashboards, and a simulator to publish it to. */
async function setup(options: GrafanaSimulatorOptions = {}) {
  simulator = new GrafanaSimulator({
    grafanaVersion: 12,
    tokens: { [TOKEN]: { login: 'sa-ci', role: 'Editor' } },
    ...options,
  });
  await simulator.start();
  dir = await mkdtemp(path.join(tmpdir(), 'o11y-publish-output-'));
  await writeFixtureProject(dir);
  return simulator;
}

/** The real CLI in a child process (the simulator keeps answering in this one), as CI runs it. */
function o11y(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', GRAFANA_TOKEN: TOKEN, GRAFANA_TOKEN_FILE: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

describe('o11y publish, as a person reads it', () => {
  it('prints the plan and the summary one line each', async () => {
    const sim = await setup();
    const dry = await o11y(['publish', 'grafana', '--url', sim.url, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n')).toEqual([
      expect.stringMatching(/^Grafana 12\.\S+ via dashboard\.grafana\.app\/v1beta1$/),
      '  create    folder    services (o11y-services)',
      '  create    dashboard "DB" (db): in General',
      '  create    dashboard "API" (api): in services',
      '  2 to create, 0 to update, 0 unchanged, 0 to delete',
      'dry run: nothing was changed',
      '',
    ]);
    const real = await o11y(['publish', 'grafana', '--url', sim.url]);
    expect(real.stdout).toMatch(
      /\npublished: 2 created, 0 updated, 0 deleted, 0 unchanged, 1 folder writes, 0 retries\n$/,
    );
  });

  it('gives --format json one document with the plan and the outcome', async () => {
    const sim = await setup();
    const result = await o11y(['publish', 'grafana', '--url', sim.url, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ target: 'grafana', dryRun: false, outcome: { created: 2 }, problems: [] });
  });

  it('stops at --timeout when Grafana keeps answering 429, saying that it waits and why', async () => {
    const sim = await setup({ faults: { rateLimitRate: 1, retryAfterSeconds: 2 } });
    const result = await o11y(['publish', 'grafana', '--url', sim.url, '--timeout', '3']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^GET http:\S+ answered 429 with Retry-After: 2: waiting 2\.0s before attempt 2 of 8\n/,
    );
    expect(result.stderr).toMatch(
      /would pass the deadline, so o11y gave up after 2 attempt\(s\).*\(publish\/timeout\)/,
    );
    expect(result.seconds).toBeLessThan(30);
  });

  it('never shows a password given in --url, and exits 2 on a --url that is not one', async () => {
    const sim = await setup();
    const url = new URL(sim.url);
    url.username = 'admin';
    url.password = PASSWORD;
    // Credentials in the URL are sent as Basic authentication (the token's Bearer header wins here).
    const published = await o11y(['publish', 'grafana', '--url', url.toString()]);
    expect(published.code, published.stderr).toBe(0);
    const unreachable = await o11y([
      'publish',
      'grafana',
      '--url',
      `http://admin:${PASSWORD}@127.0.0.1:1/`,
      '--timeout',
      '2',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('GET http://127.0.0.1:1/api/health failed');
    for (const result of [published, unreachable])
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    const bad = await o11y(['publish', 'grafana', '--url', 'not-a-url']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--url is not a URL');
  });

  it('lists every target of the publisher registry in its help', async () => {
    await setup();
    const help = await o11y(['publish', '--help']);
    expect(help.stdout).toMatch(
      /Targets:\n {2}grafana +dashboards and their folders\n {2}grafana-alerting +Grafana-managed alert rules.*\n {2}rules +.*\n {2}alertmanager +.*\n/,
    );
    expect(help.stdout).toContain('o11y publish rules');
    expect(help.stdout).toContain('--ruler-url <url>');
  });
});
