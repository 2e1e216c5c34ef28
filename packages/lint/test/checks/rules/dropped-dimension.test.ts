import { counter, defineCatalog, defineDimensions, job, label } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { droppedDimension } from '../../../src/checks/rules/dropped-dimension.ts';
import { alert, records, rules, run } from '../../helpers.ts';

const app = job('app', { scrapeInterval: '15s', instances: 2 });
const requests = counter('app_requests_total', {
  help: 'Requests.',
  unit: 'requests',
  jobs: [app],
  labels: {
    environment: label.values(['production', 'staging']),
    service: label.cardinality(5),
    code: label.values(['200', '500']),
  },
});
const batches = counter('batch_runs_total', {
  help: 'Batch runs, in one place only.',
  unit: 'count',
  jobs: [app],
  labels: { outcome: label.values(['ok', 'failed']) },
});
const withDimensions = (multiCluster: boolean) =>
  defineCatalog([requests, batches], {
    dimensions: defineDimensions({
      environment: { values: ['production', 'staging'], source: 'target' },
      cluster: { source: 'external_labels', enabled: multiCluster },
    }),
  });

describe('rules/dropped-dimension', () => {
  it('reports the aggregation that mixes environments, at the aggregation, with the fix', async () => {
    const expr = 'sum by (service) (rate(app_requests_total{code="500"}[5m]))';
    const findings = await run(droppedDimension, records({ 'service:app_request_errors:rate5m': expr }), {
      catalog: withDimensions(false),
    });
    expect(findings.map((f) => [f.message, f.hint])).toEqual([
      [
        'sum() drops the dimension "environment": recording rule service:app_request_errors:rate5m mixes every environment together',
        'add environment to by (…)',
      ],
    ]);
    expect(findings[0]!.expression!.span).toEqual({ start: 0, end: expr.length });
    expect(findings[0]!.severity).toBe('error');
  });

  it('accepts rules that keep the dimension, and metrics that never had it', async () => {
    const findings = await run(
      droppedDimension,
      rules(
        alert('Errors', 'sum by (environment, service) (rate(app_requests_total{code="500"}[5m])) > 1') +
          alert('BatchesFail', 'sum(rate(batch_runs_total{outcome="failed"}[1h])) > 0'),
      ),
      { catalog: withDimensions(true) },
    );
    expect(findings).toEqual([]);
  });

  it('never asks rules for a dimension of external_labels, which their Prometheus does not see', async () => {
    const expr = 'sum by (environment) (rate(app_requests_total[5m]))';
    const findings = await run(droppedDimension, records({ 'environment:app_requests:rate5m': expr }), {
      catalog: withDimensions(true),
    });
    expect(findings).toEqual([]);
  });

  it('reads the dimensions of plain rule files from the option, and without() drops on unknown metrics', async () => {
    const expr = 'sum without (cluster) (rate(container_cpu_usage_seconds_total[5m]))';
    const file = records({ 'namespace:container_cpu_usage_seconds:rate5m': expr });
    expect(await run(droppedDimension, file, { catalog: undefined })).toEqual([]);
    const findings = await run(droppedDimension, file, {
      catalog: undefined,
      checks: { 'rules/dropped-dimension': { options: { labels: ['cluster'] } } },
    });
    expect(findings.map((f) => f.hint)).toEqual(['remove cluster from without (…)']);
  });
});
