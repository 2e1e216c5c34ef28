import { describe, expect, it } from 'vitest';
import { counter, defineCatalog, defineDimensions, job, label } from '../src/index.ts';
import { diagnosticsOf } from './errors.ts';

describe('deployment dimensions', () => {
  const declared = () =>
    defineDimensions({
      environment: { values: ['production', 'staging'], source: 'target' },
      region: { label: 'topology_region', source: 'relabel' },
      cluster: { source: 'external_labels' },
      zone: { source: 'relabel', enabled: false },
    });

  it('keep in rules only the labels their Prometheus sees, and filter dashboards by every enabled one', () => {
    const dimensions = declared();
    expect(dimensions.ruleLabels).toEqual(['environment', 'topology_region']);
    expect(dimensions.dashboardLabels).toEqual(['environment', 'topology_region', 'cluster']);
    expect(dimensions.dimension('zone')).toBeUndefined();
    expect(dimensions.dimension('environment')?.values).toEqual(['production', 'staging']);
    expect(dimensions.source.file).toMatch(/dimensions\.test\.ts$/);
  });

  it('travel with the catalogue, also when recording rules are added to it', () => {
    const dimensions = declared();
    const requests = counter('app_requests_total', {
      help: 'Requests.',
      unit: 'requests',
      jobs: [job('app', { scrapeInterval: '15s', instances: 1 })],
      labels: { environment: label.values(['production', 'staging']) },
    });
    const catalog = defineCatalog([requests], { dimensions });
    expect(catalog.dimensions).toBe(dimensions);
    expect(catalog.with([]).dimensions).toBe(dimensions);
    expect(defineCatalog([requests]).dimensions).toBeUndefined();
  });

  it('refuse bad label names, a label used twice and empty or repeated values, at the declaring line', () => {
    const problems = diagnosticsOf(() =>
      defineDimensions({
        environment: { values: ['production', 'production'], source: 'target' },
        env: { label: 'environment', source: 'target' },
        cluster: { label: '__cluster', source: 'external_labels' },
      }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'dimension environment: values must be distinct and non-empty',
      'dimension env: label "environment" already carries another dimension',
      'dimension cluster: "__cluster" is not a label name',
    ]);
    expect(
      problems.every((p) => p.id === 'catalog/dimension' && /dimensions\.test\.ts$/.test(p.source!.file)),
    ).toBe(true);
  });
});
