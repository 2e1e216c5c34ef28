import { distinctValues } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { catalog, services } from '../src/estate.ts';
import { labelSets, OPEN_VALUES_PER_TARGET } from '../src/label-sets.ts';

const context = { job: 'postgres', index: 0, services: services.map((s) => s.name) };

describe('label sets', () => {
  it('stay within every catalogue metric’s declared values and cardinality', () => {
    for (const metric of catalog.metrics.filter((m) => m.type !== 'recorded' && !m.scrapeGenerated)) {
      const sets = labelSets(metric, {}, context);
      expect(sets.length, metric.name).toBeGreaterThan(0);
      for (const [name, spec] of Object.entries(metric.labels)) {
        const values = new Set(sets.map((s) => s.labels[name]).filter((v) => v !== undefined));
        if (spec.kind === 'values')
          for (const value of values) expect(spec.values, `${metric.name} ${name}`).toContain(value);
        else
          expect(values.size, `${metric.name} ${name}`).toBeLessThanOrEqual(
            Math.min(distinctValues(spec), OPEN_VALUES_PER_TARGET),
          );
      }
    }
  });

  it('weights the first listed value as the usual case and keeps labels set by the registry out', () => {
    const transactions = catalog.metric('transactions_total')!;
    const sets = labelSets(transactions, { service: 'payments', environment: 'production' }, context);
    expect(sets.every((s) => !('service' in s.labels) && !('environment' in s.labels))).toBe(true);
    const share = (outcome: string) =>
      sets.filter((s) => s.labels.outcome === outcome).reduce((sum, s) => sum + s.weight, 0);
    expect(share('succeeded')).toBeCloseTo(0.95);
    expect(share('failed') + share('declined')).toBeCloseTo(0.05);
    expect(sets.filter((s) => s.usual).every((s) => s.labels.outcome === 'succeeded')).toBe(true);
  });

  it('varies correlated open-ended labels together rather than crosswise', () => {
    const activity = catalog.metric('pg_stat_activity_count')!;
    const sets = labelSets(activity, {}, context);
    expect(
      sets.every(
        (s) => s.labels.datname === s.labels.usename && s.labels.usename === s.labels.application_name,
      ),
    ).toBe(true);
  });
});
