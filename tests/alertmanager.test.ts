import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type AlertEntry, runAlertmanagerTests, type TestsFile } from '@o11y/alertmanager';
import { DIST, formatDiagnostic } from '@o11y/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingTests } from '../alertmanager/tests.ts';
import { buildOrganisation, root } from './organisation.ts';

const context = { root, log: () => {} };
let built: string;
let alerts: AlertEntry[];
beforeAll(async () => {
  built = await buildOrganisation();
  alerts = JSON.parse(await readFile(path.join(built, DIST.prometheus.alerts), 'utf8')) as AlertEntry[];
});

const copies: string[] = [];
afterAll(async () => {
  for (const copy of copies) await rm(copy, { recursive: true, force: true });
});

/** A copy of the built organisation, for a test to damage. */
async function buildDist(): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'o11y-organisation-copy-'));
  copies.push(copy);
  await cp(built, copy, { recursive: true });
  return copy;
}

async function editTests(dist: string, edit: (tests: TestsFile) => TestsFile): Promise<void> {
  const file = path.join(dist, 'alertmanager', 'tests.json');
  await writeFile(file, JSON.stringify(edit(JSON.parse(await readFile(file, 'utf8')))));
}

describe('the sample organisation’s Alertmanager tests', () => {
  it('pass: routing through amtool, coverage of every alert, inhibition on a real Alertmanager', async () => {
    const dist = await buildDist();
    const report = await runAlertmanagerTests(dist, context);
    const failures = report.cases.filter((c) => !c.passed).map((c) => formatDiagnostic(c.failure!));
    expect(failures).toEqual([]);
    expect(report.summary).toEqual([
      `routing: ${routingTests.routing.length} passed, 0 failed`,
      `routing coverage: ${alerts.length} passed, 0 failed`,
      `inhibition: ${routingTests.inhibition.length} passed, 0 failed`,
    ]);
  });

  it('fail when a routing or inhibition expectation is wrong, pointing at the case', async () => {
    const dist = await buildDist();
    await editTests(dist, (tests) => ({
      ...tests,
      routing: [{ ...tests.routing[0]!, receivers: ['slack-alerts'] }],
      inhibition: [
        { ...tests.inhibition[0]!, inhibited: false },
        { ...tests.inhibition[2]!, inhibited: true },
      ],
    }));
    const report = await runAlertmanagerTests(dist, { ...context, inhibitionTimeoutMs: 5000 });
    const failures = report.cases.filter((c) => !c.passed);
    expect(failures.map((c) => c.name)).toEqual([
      `routing: ${routingTests.routing[0]!.name}`,
      `inhibition: ${routingTests.inhibition[0]!.name}`,
      `inhibition: ${routingTests.inhibition[2]!.name}`,
    ]);
    const [routing, inhibited, notInhibited] = failures.map((c) => c.failure!);
    expect(routing!.message).toBe(
      'routes to pagerduty-oncall,slack-alerts but the case expects slack-alerts',
    );
    expect(routing!.source).toEqual(routingTests.routing[0]!.source);
    expect(inhibited!.message).toMatch(
      /^expected not inhibited: the target is inhibited \(state suppressed\); the target never reached slack-slo-tickets/,
    );
    expect(notInhibited!.message).toBe(
      'expected inhibited: the target is not inhibited (state active); the target was notified to slack-alerts',
    );
  });

  it('select cases by name', async () => {
    const dist = await buildDist();
    const report = await runAlertmanagerTests(dist, { ...context, filter: 'SLO ticket' });
    expect(report.cases.map((c) => c.name)).toEqual([`routing: an SLO ticket alert posts to #slo-tickets`]);
  });

  it('fail the coverage stage when there is no list of alerts', async () => {
    const dist = await buildDist();
    await rm(path.join(dist, DIST.prometheus.alerts));
    const report = await runAlertmanagerTests(dist, { root, log: () => {}, filter: 'coverage' });
    expect(report.cases).toEqual([
      expect.objectContaining({
        name: 'coverage',
        passed: false,
        failure: expect.objectContaining({ id: 'alertmanager/test-input' }),
      }),
    ]);
  });
});

describe('a damaged dist/alertmanager', () => {
  it('is a failed case, not a crash', async () => {
    const dist = await buildDist();
    await writeFile(path.join(dist, 'alertmanager', 'tests.json'), '{ not json');
    const report = await runAlertmanagerTests(dist, context);
    expect(report.cases).toEqual([
      expect.objectContaining({
        name: 'reading dist/alertmanager',
        passed: false,
        failure: expect.objectContaining({ id: 'alertmanager/test-input' }),
      }),
    ]);
  });
});
