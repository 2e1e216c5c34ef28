import path from 'node:path';
import { isDefinition, kindOf } from '@o11y/core';
import { describe, expect, it, vi } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The cardinality estimates of the users service's alerts (and of their group), with `copies` clones
 * of each of the sample's services added to the service list, as a larger organisation has them.
 */
async function usersAlertEstimates(copies: number): Promise<Record<string, number>> {
  vi.resetModules();
  vi.doMock('../catalog/services.ts', async (importOriginal) => {
    const original = await importOriginal<typeof import('../catalog/services.ts')>();
    const { withServices } = await import('./services.ts');
    const clones = Array.from({ length: copies }, (_, i) =>
      original.services.map(({ name, job, source, ...spec }) =>
        original.service(`${name}-copy${i + 1}`, spec),
      ),
    ).flat();
    return withServices(original, clones);
  });
  try {
    const { catalog } = await import('../catalog/index.ts');
    const { emitter } = await import('@o11y/rules');
    const { estimateCardinality, LintProject } = await import('@o11y/lint');
    await (await import('@o11y/promql')).init();
    const rules: Record<string, unknown> = await import('../rules/services.ts');
    const definitions = Object.values(rules)
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter(isDefinition);
    const { ruleGroups = [] } = await emitter.model!(
      definitions.filter((d) => emitter.kinds.includes(kindOf(d))),
      { root, definitions, profile: 'default', log: () => {} },
    );
    const report = estimateCardinality(
      new LintProject({ ruleGroups, dashboards: [], scrapeJobs: [] }, catalog),
    );
    return Object.fromEntries(
      [...report.rules, ...report.groups].flatMap(({ target, series }) =>
        target.kind === 'rule' && target.group.name === 'users-alerts'
          ? [[target.rule.name, series]]
          : target.kind === 'group' && target.group.name === 'users-alerts'
            ? [['group', series]]
            : [],
      ),
    );
  } finally {
    vi.doUnmock('../catalog/services.ts');
    vi.resetModules();
  }
}

describe('cardinality estimates of the sample organisation', () => {
  it('estimate a per-service alert the same whatever the number of services', async () => {
    const sample = await usersAlertEstimates(0);
    // One job's targets, the largest's (3), × 2 environments (× 5 breakers for the open state); the
    // process metrics' three largest jobs (node 6 + 3 + 3) × 2 environments; `up` of the users job's 2
    // targets × 2 environments (its targets carry the environment).
    expect(sample).toMatchObject({
      TargetDown: 4,
      CircuitBreakerOpen: 30,
      DbPoolExhausted: 6,
      HighMemoryUsage: 24,
      group: 68,
    });
    // 11 services, then 11 + 5 × 11 = 66.
    expect(await usersAlertEstimates(5)).toEqual(sample);
  }, 120_000);
});
