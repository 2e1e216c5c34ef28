import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDefinition, type ProjectModel } from '@o11y/core';
import { describe, expect, it, vi } from 'vitest';
import { loadDefinitions } from '../../build/src/build.ts';
import { estimateCardinality } from '../src/cardinality.ts';
import { duplicate } from '../src/checks/dashboard/duplicate.ts';
import { unusedRecording } from '../src/checks/rules/unused-recording.ts';
import { type LintConfig, loadConfig } from '../src/config.ts';
import { type LintOptions, lint, lintInParts } from '../src/lint.ts';
import type { LintProject } from '../src/project.ts';
import { testCatalog } from './catalog.ts';
import * as plantedDashboards from './fixtures/planted/dashboards.ts';
import * as plantedRules from './fixtures/planted/rules.ts';
import { dashboard, modelOf, modelOfDefinitions, records } from './helpers.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Each rule's, group's and query's estimate, and the recorded total, from one project or all its parts. */
function estimates(projects: readonly LintProject[]) {
  const reports = projects.map((project) => estimateCardinality(project));
  return {
    items: reports.flatMap((r) =>
      [...r.rules, ...r.groups, ...r.queries].map((e) => [e.subject, e.series, e.complete]),
    ),
    recorded: reports.reduce((total, r) => total + r.recordedTotal.series, 0),
  };
}

/** lint on the whole model, and lintInParts with `dashboardsPerPart`: findings and estimates. */
async function bothWays(model: ProjectModel, options: LintOptions, dashboardsPerPart: number) {
  const whole = await lint(model, options);
  const parts: LintProject[] = [];
  const inParts = await lintInParts(model, {
    ...options,
    dashboardsPerPart,
    analysed: (project) => parts.push(project),
  });
  return {
    whole: { findings: whole.findings, suppressed: whole.suppressed, estimates: estimates([whole.project]) },
    inParts: { findings: inParts.findings, suppressed: inParts.suppressed, estimates: estimates(parts) },
    parts: parts.length,
  };
}

/** Order-insensitive: a rule or query is estimated in its own part, and the rules' part comes last. */
function sorted(result: Awaited<ReturnType<typeof bothWays>>['whole']) {
  return { ...result, estimates: { ...result.estimates, items: [...result.estimates.items].sort() } };
}

describe('lint in parts', () => {
  it('finds and estimates on the sample organisation what lint on the whole finds', async () => {
    const model = await modelOfDefinitions(root, await loadDefinitions(root));
    const config = await loadConfig(root);
    // Budgets of one series: a finding for nearly every rule, group and query, in every part.
    const options = { config: { ...config, budgets: { rule: 1, group: 1, query: 1, recordedTotal: 1 } } };
    for (const perPart of [1, 7, 1_000]) {
      const { whole, inParts, parts } = await bothWays(model, options, perPart);
      expect(parts).toBe(Math.ceil(model.dashboards.length / perPart) + 1);
      expect(whole.findings.length).toBeGreaterThan(500);
      expect(whole.estimates.items.length).toBeGreaterThan(500);
      expect(sorted(inParts)).toEqual(sorted(whole));
      expect(inParts.findings).toEqual(whole.findings);
    }
  }, 120_000);

  it('finds on the planted defects what lint on the whole finds', async () => {
    const exported: unknown[] = [...Object.values(plantedRules), ...Object.values(plantedDashboards)];
    const model = await modelOfDefinitions(root, exported.filter(isDefinition));
    const config: LintConfig = { catalog: testCatalog, budgets: { rule: 250 } };
    const { whole, inParts } = await bothWays(model, { config }, 1);
    expect(whole.findings.length).toBeGreaterThan(20);
    expect(sorted(inParts)).toEqual(sorted(whole));
    expect(inParts.findings).toEqual(whole.findings);
  }, 120_000);

  it('fails with the parser failure and leaves no rejection unhandled', async () => {
    const failure = new Error('the native parser failed');
    const { model } = modelOf({
      ...records({ 'job:http_requests:rate5m': 'sum by (job) (rate(http_requests_total[5m]))' }),
      'a.json': dashboard([{ targets: [{ expr: 'sum(job:http_requests:rate5m)' }] }]),
    });
    vi.resetModules();
    vi.doMock('@o11y/promql', async (importOriginal) => ({
      ...(await importOriginal<typeof import('@o11y/promql')>()),
      parseAll: () => Promise.reject(failure),
      parseDashboardQueries: () => Promise.reject(failure),
    }));
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const { lintInParts: fresh } = await import('../src/lint.ts');
      await expect(fresh(model, { config: { catalog: testCatalog } })).rejects.toBe(failure);
      // A rejection nobody handled is reported on a later turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
      vi.doUnmock('@o11y/promql');
      vi.resetModules();
    }
  }, 120_000);

  it('sees the whole project in the checks that compare parts: uids, and the names queries read', async () => {
    const { model, origins, sources } = modelOf({
      ...records({
        'job:read_by_b:rate5m': 'sum by (job) (rate(http_requests_total[5m]))',
        'job:unread:rate5m': 'sum by (job) (rate(http_requests_total{status="500"}[5m]))',
      }),
      'a.json': dashboard([{ targets: [{ expr: 'sum(http_requests_total)' }] }]),
      'b.json': dashboard([{ targets: [{ expr: 'sum(job:read_by_b:rate5m)' }] }], { title: 'Other' }),
    });
    const options = {
      checks: [duplicate, unusedRecording],
      config: { catalog: testCatalog },
      origins,
      sources,
    };
    const { whole, inParts, parts } = await bothWays(model, options, 1);
    expect(parts).toBe(3);
    expect(inParts.findings.map((f) => [f.source?.file, f.message])).toEqual([
      ['b.json', 'dashboard uid "test" is also used by "Test" at a.json:1:1'],
      ['rules.yml', 'nothing reads job:unread:rate5m: no rule and no dashboard query selects it'],
    ]);
    expect(inParts.findings).toEqual(whole.findings);
  });
});
