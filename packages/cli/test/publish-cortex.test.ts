import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@o11y/core';
import { startCortex } from '@o11y/publish/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { o11y } from './helpers.ts';

// `o11y publish rules|alertmanager --api cortex` through the Publisher contract, against a real Cortex:
// what a user with a central Cortex/Mimir runs in CI after `o11y build`.
let work: string;
let cortex: RunningServer;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'o11y-cli-cortex-'));
  cortex = await startCortex(work);
}, 120_000);
afterAll(async () => {
  await cortex?.stop();
  await rm(work, { recursive: true, force: true });
});

const asJson = (stdout: string) => JSON.parse(stdout) as { plan: { changes: number } };

describe('o11y publish to a real Cortex', () => {
  it('puts every rule namespace of the build into the ruler, then has nothing to do', async () => {
    const args = ['publish', 'rules', '--ruler-url', cortex.url, '--api', 'cortex', '--tenant', 'fake'];
    const first = o11y([...args, '--format', 'json']);
    expect(first.status, first.stderr).toBe(0);
    expect(asJson(first.stdout).plan.changes).toBeGreaterThan(0);
    const listed = await fetch(`${cortex.url}/api/v1/rules`, { headers: { 'X-Scope-OrgID': 'fake' } });
    expect(Object.keys(parse(await listed.text()) as object).length).toBeGreaterThan(0);
    const second = o11y([...args, '--format', 'json']);
    expect(second.status, second.stderr).toBe(0);
    expect(asJson(second.stdout).plan.changes).toBe(0);
  }, 180_000);

  it("sends the Alertmanager config to the tenant's config API, and names the definition a tenant refuses", () => {
    const args = [
      'publish',
      'alertmanager',
      '--alertmanager-url',
      cortex.url,
      '--api',
      'cortex',
      '--tenant',
      'fake',
    ];
    const dryRun = o11y([...args, '--dry-run', '--format', 'json']);
    expect(dryRun.status, dryRun.stderr).toBe(0);
    expect(asJson(dryRun.stdout).plan.changes).toBe(1);
    // The organisation's receivers read their secrets from files (*_file), which a multi-tenant
    // Alertmanager refuses: the error points at the Alertmanager definition and says what to do.
    const refused = o11y(args);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^alertmanager\/config\.ts:\d+:\d+ .*_file.*\(publish\/alertmanager-400\)$/m,
    );
    expect(refused.stderr).toContain('renderDeployable');
  }, 180_000);
});
