import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'o11y.mjs');

/** Starts `o11y simulate grafana …` and resolves with its URL once it listens. */
function launch(args: string[]) {
  const child = spawn(process.execPath, [bin, 'simulate', 'grafana', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const found = /on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, url, exit, output: () => stdout };
}

describe('o11y simulate grafana', () => {
  it('serves the simulator as the Grafana version asked for, takes a publish, and stops on SIGTERM', async () => {
    const sim = launch(['--version', '13', '--token', 'tok']);
    const url = await sim.url;
    const health = (await (await fetch(`${url}/api/health`)).json()) as { version: string };
    expect(health.version).toMatch(/^13\./);
    const publish = o11y(['publish', 'grafana', '--url', url], { env: { GRAFANA_TOKEN: 'tok' } });
    expect(publish.status, publish.stderr).toBe(0);
    const search = (await (
      await fetch(`${url}/api/search?type=dash-db`, { headers: { authorization: 'Bearer tok' } })
    ).json()) as unknown[];
    expect(search.length).toBeGreaterThan(0);
    sim.child.kill('SIGTERM');
    expect(await sim.exit).toBe(0);
    expect(sim.output()).toMatch(/stopped after \d+ requests \([1-9]\d* writes\)\n$/);
  }, 120_000);

  it('injects the faults it is given', async () => {
    const sim = launch(['--faults', 'server-error=1']);
    const url = await sim.url;
    expect(
      (await fetch(`${url}/api/search`, { headers: { authorization: 'Bearer o11y-simulator' } })).status,
    ).toBeGreaterThanOrEqual(500);
    sim.child.kill('SIGTERM');
    expect(await sim.exit).toBe(0);
  }, 60_000);

  it('refuses unknown faults and versions with exit 2 and what is allowed', () => {
    const faults = o11y(['simulate', 'grafana', '--faults', 'meteor=1']);
    expect(faults.status).toBe(2);
    expect(faults.stderr).toContain('"meteor=1" is not a fault setting');
    expect(faults.stderr).toContain('rate-limit');
    expect(o11y(['simulate', 'grafana', '--version', '10']).status).toBe(2);
  }, 60_000);
});
