import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDefinition, type ProjectModel } from '@o11y/core';
import { describe, expect, it, vi } from 'vitest';
import { loadDefinitions } from '../../build/src/build.ts';
import type { LintConfig } from '../src/config.ts';
import { loadConfig } from '../src/config.ts';
import { testCatalog } from './catalog.ts';
import * as plantedDashboards from './fixtures/planted/dashboards.ts';
import * as plantedRules from './fixtures/planted/rules.ts';
import { modelOfDefinitions } from './helpers.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Findings and cardinality estimates of lint, as a fresh copy of the package computes them. */
async function lintFresh(model: ProjectModel, config: LintConfig) {
  const { lint } = await import('../src/lint.ts');
  const { estimateCardinality } = await import('../src/cardinality.ts');
  const { LintProject } = await import('../src/project.ts');
  const result = await lint(model, { config });
  const estimates = estimateCardinality(await LintProject.analyse(model, config.catalog, config.budgets));
  const selectors = estimates.selectors.map(({ occurrences, ...s }) => ({ ...s, at: occurrences.length }));
  const totals = [...estimates.rules, ...estimates.groups, ...estimates.queries].map((e) => [
    e.subject,
    e.series,
    e.complete,
  ]);
  return { findings: result.findings, selectors, totals, recorded: estimates.recordedTotal };
}

/**
 * The same, with every selector narrowed label by label and rule by rule, without the index, each
 * node's shape kept as computed, not interned, and every check walking the expressions itself, without
 * the nodes found for another check.
 */
async function lintWithoutIndex(model: ProjectModel, config: LintConfig) {
  vi.resetModules();
  vi.doMock('../src/analysis/visit.ts', async (importOriginal) => {
    const visit = await importOriginal<typeof import('../src/analysis/visit.ts')>();
    return {
      ...visit,
      // Given expressions, nodesOf walks them every time.
      nodesOf: (...[project, type, expressions]: Parameters<typeof visit.nodesOf>) =>
        visit.nodesOf(project, type, expressions ?? project.expressions),
    };
  });
  vi.doMock('../src/analysis/shape.ts', async (importOriginal) => {
    const shape = await importOriginal<typeof import('../src/analysis/shape.ts')>();
    class UnindexedResolver extends shape.ShapeResolver {
      constructor(lookup: ConstructorParameters<typeof shape.ShapeResolver>[0]) {
        super(lookup, { indexed: false, interned: false });
      }
    }
    return {
      ...shape,
      ShapeResolver: UnindexedResolver,
    };
  });
  try {
    return await lintFresh(model, config);
  } finally {
    vi.doUnmock('../src/analysis/visit.ts');
    vi.doUnmock('../src/analysis/shape.ts');
    vi.resetModules();
  }
}

describe('the lint index and the nodes shared among checks', () => {
  it('changes no finding and no estimate of the sample organisation', async () => {
    const model = await modelOfDefinitions(root, await loadDefinitions(root));
    const config = await loadConfig(root);
    const indexed = await lintFresh(model, config);
    const plain = await lintWithoutIndex(model, config);
    expect(indexed.totals.length).toBeGreaterThan(500);
    expect(indexed).toEqual(plain);
  }, 120_000);

  it('changes no finding and no estimate of the planted defects', async () => {
    const exported: unknown[] = [...Object.values(plantedRules), ...Object.values(plantedDashboards)];
    const model = await modelOfDefinitions(root, exported.filter(isDefinition));
    const config: LintConfig = { catalog: testCatalog, budgets: { rule: 250 } };
    const indexed = await lintFresh(model, config);
    const plain = await lintWithoutIndex(model, config);
    expect(indexed.findings.length).toBeGreaterThan(20);
    expect(indexed).toEqual(plain);
  }, 120_000);
});
