import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LocalServer, listenLocal } from '@o11y/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'packages/cli/bin/o11y.mjs');

async function o11y(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const DRIFTED = [
  '# HELP up_time Seconds up.',
  '# TYPE transactions_total gauge',
  'transactions_total{service="payments",environment="production"} 3',
].join('\n');

// Each case starts the CLI as a child process (a few seconds each on a busy machine): a ceiling, not a speed check.
describe('o11y catalog check', { timeout: 60_000 }, () => {
  let dir: string;
  let server: LocalServer;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'o11y-catalog-'));
    await writeFile(path.join(dir, 'metrics.txt'), DRIFTED);
    server = await listenLocal((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(DRIFTED);
    });
    url = server.url;
  });

  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports differences of a file with the declaring line, and exits 1', async () => {
    const result = await o11y('catalog', 'check', path.join(dir, 'metrics.txt'), '--job', 'payments');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^catalog\/business\.ts:\d+:\d+ {2}transactions_total is a gauge in the exposition, a counter in the catalogue {2}\(catalog\/wrong-type\)$/m,
    );
    expect(result.stdout).toContain('warning: up_time (untyped) is not in the catalogue');
    expect(result.stdout).toMatch(
      /: does not conform to the catalogue for job payments: \d+ errors, 1 warnings\n$/,
    );
  });

  it('fetches a /metrics endpoint and prints JSON', async () => {
    const result = await o11y('catalog', 'check', `${url}/metrics`, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      job: string;
      inferredJob: boolean;
      findings: { id: string }[];
    };
    expect(report).toMatchObject({ job: 'payments', inferredJob: true });
    expect(report.findings.map((f) => f.id)).toContain('catalog/wrong-type');
  });

  it('explains unreachable targets and bad usage', async () => {
    const missing = await o11y('catalog', 'check', `${url}/nothing`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${url}/nothing answered HTTP 404`);
    const usage = await o11y('catalog', 'verify');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('expected: o11y catalog check <url-or-file>');
  });
});
