import { defineCatalog, gauge, job, label } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { conformityProblems } from './conformity.ts';
import type { PrometheusApi } from './prometheus-api.ts';

const api = job('api', { scrapeInterval: '15s', instances: 2 });
const inflight = gauge('inflight_requests', {
  help: 'Requests in flight.',
  unit: 'requests',
  jobs: [api],
  labels: { environment: label.values(['production', 'staging']) },
});
const catalog = defineCatalog([inflight]);

/** Two production instances and one staging instance of `api`, as the stack runs them. */
const scraped = [
  { __name__: 'inflight_requests', job: 'api', instance: 'a:1', environment: 'production' },
  { __name__: 'inflight_requests', job: 'api', instance: 'a:2', environment: 'production' },
  { __name__: 'inflight_requests', job: 'api', instance: 'a:3', environment: 'staging' },
];
const prometheus = { series: async () => scraped } as unknown as PrometheusApi;

describe('conformity of scraped series to the catalogue', () => {
  it('counts instances and series per environment: each runs at most the catalogue’s instances', async () => {
    const problems = await conformityProblems(
      catalog,
      prometheus,
      [],
      () => 2,
      (l) => l.environment!,
    );
    expect(problems).toEqual([]);
  });

  it('reports an environment that runs more instances than the catalogue counts', async () => {
    const problems = await conformityProblems(
      catalog,
      prometheus,
      [],
      () => 2,
      () => 'production',
    );
    expect(problems).toEqual([
      'inflight_requests: instance has 3 distinct values in production, the catalogue allows 2',
      "inflight_requests: 3 series scraped in production, more than the catalogue's estimate of 2",
    ]);
  });
});
