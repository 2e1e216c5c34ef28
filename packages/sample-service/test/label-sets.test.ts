import { counter, defineCatalog, distinctValues, gauge, histogram, job, label } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { labelSets, OPEN_VALUES_PER_TARGET } from '../src/label-sets.ts';

/** A small catalogue: an application counter, a database exporter gauge, a histogram with open labels. */
const app = job('checkout', { scrapeInterval: '15s', instances: 2 });
const database = job('database', { scrapeInterval: '30s', instances: 1 });
const catalog = defineCatalog([
  counter('transfers_total', {
    help: 'Money transfers by outcome.',
    unit: 'count',
    jobs: [app],
    labels: {
      service: label.values(['checkout']),
      environment: label.values(['production']),
      outcome: label.values(['succeeded', 'failed', 'declined']),
    },
  }),
  gauge('pg_stat_activity_count', {
    help: 'Connections by database, user and application.',
    unit: 'connections',
    jobs: [database],
    labels: {
      datname: label.cardinality(20),
      usename: label.cardinality(20),
      application_name: label.cardinality(20),
      state: label.values(['idle', 'active']),
    },
  }),
  histogram('request_duration_seconds', {
    help: 'Request duration.',
    unit: 'seconds',
    jobs: [app],
    labels: { route: label.cardinality(30), cpu: label.cardinality(8) },
    buckets: [0.1, 1],
  }),
]);

const context = { job: 'database', index: 0, services: ['checkout', 'ledger'] };

describe('label sets', () => {
  it('stay within every catalogue metric’s declared values and cardinality', () => {
    for (const metric of catalog.metrics.filter((m) => m.type !== 'recorded' && !m.scrapeGenerated)) {
      const sets = labelSets(metric, new Set(), context);
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
    const transfers = catalog.metric('transfers_total')!;
    const sets = labelSets(transfers, new Set(['service', 'environment']), context);
    expect(sets.every((s) => !('service' in s.labels) && !('environment' in s.labels))).toBe(true);
    const share = (outcome: string) =>
      sets.filter((s) => s.labels.outcome === outcome).reduce((sum, s) => sum + s.weight, 0);
    expect(share('succeeded')).toBeCloseTo(0.95);
    expect(share('failed') + share('declined')).toBeCloseTo(0.05);
    expect(sets.filter((s) => s.usual).every((s) => s.labels.outcome === 'succeeded')).toBe(true);
  });

  it('varies correlated open-ended labels together rather than crosswise', () => {
    const activity = catalog.metric('pg_stat_activity_count')!;
    const sets = labelSets(activity, new Set(), context);
    expect(
      sets.every(
        (s) => s.labels.datname === s.labels.usename && s.labels.usename === s.labels.application_name,
      ),
    ).toBe(true);
  });
});
