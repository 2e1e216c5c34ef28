import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Definition, isDefinition, kindOf, writeTree } from '@o11y/core';
import { emitter, KIND, type RuleGroup, type RuleTests, type Slo, tester } from '@o11y/rules';
import { describe, expect, it, vi } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** The rule files and promtool tests of these definitions, written as `o11y build` writes them. */
async function build(definitions: readonly Definition[]): Promise<{ dir: string }> {
  const artifacts = [...emitter.emit(definitions, { root, definitions, profile: 'default', log: () => {} })];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-organisation-rules-'));
  await writeTree(dir, artifacts);
  return { dir };
}

// A twelfth service, added to the service list and nowhere else.
vi.mock('../catalog/services.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../catalog/services.ts')>();
  const { withServices } = await import('./services.ts');
  const reviews = original.service('reviews', {
    description: 'Product reviews and ratings',
    team: 'commerce',
    instrumentation: 'prom-client',
    tier: 'standard',
    replicas: 2,
    port: 3000,
    datastores: ['postgres', 'redis'],
    slo: { availability: 0.995, latency: { threshold: 0.5, objective: 0.99 } },
  });
  return withServices(original, [reviews]);
});

const definitions = async () => {
  const modules = await Promise.all([
    import('../rules/services.ts'),
    import('../rules/slos.ts'),
    import('../rules/tests/services.ts'),
  ]);
  return modules.flatMap((m) =>
    Object.values(m)
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter(isDefinition),
  );
};

describe('the sample organisation', () => {
  it('gives a twelfth service its RED rules, alerts, SLOs and tests with no other change', async () => {
    const all = await definitions();
    const groups = all.filter((d) => kindOf(d) === KIND.group) as RuleGroup[];
    const slos = all.filter((d) => kindOf(d) === KIND.slo) as Slo[];
    const tests = all.filter((d) => kindOf(d) === KIND.ruleTests) as RuleTests[];
    expect(groups.filter((g) => g.file === 'services/reviews').map((g) => g.name)).toEqual([
      'reviews-red',
      'reviews-alerts',
    ]);
    expect(groups.find((g) => g.name === 'reviews-alerts')?.rules.map((r) => r.name)).toEqual([
      'HighErrorRate',
      'HighLatency',
      'TargetDown',
      'HighMemoryUsage',
      'CircuitBreakerOpen',
      'DbPoolExhausted',
      'CacheHitRateLow',
    ]);
    expect(slos.filter((s) => s.service === 'reviews').map((s) => [s.name, s.objective, s.team])).toEqual([
      ['availability', 0.995, 'commerce'],
      ['latency', 0.99, 'commerce'],
    ]);
    expect(slos.every((s) => s.tests !== undefined)).toBe(true);
    const suite = tests.find((t) => t.name === 'service-reviews')!;
    expect(suite.tests).toHaveLength(10);
    const own = [
      ...groups.filter((g) => g.file === 'services/reviews'),
      ...slos.filter((s) => s.service === 'reviews'),
      suite,
    ];
    const { dir } = await build(own);
    const report = await tester.run(dir, { root, log: () => {} });
    await rm(dir, { recursive: true, force: true });
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    expect(report.summary).toEqual(['rule-test coverage: 48/48 rules (100%), 0 opted out with a reason']);
  }, 120_000);
});
