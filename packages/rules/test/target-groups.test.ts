import { counter, defineCatalog, defineDimensions, label } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitter, prometheusConfig, scrapeJob } from '../src/index.ts';
import { requests, shopJob } from './fixtures.ts';
import { build, context } from './helpers.ts';

const dimensions = defineDimensions({
  environment: { values: ['production', 'staging'], source: 'target' },
});
const catalog = defineCatalog([requests], { dimensions });
const requestsWithEnvironment = counter('shop_env_requests_total', {
  help: 'Requests served, per environment.',
  unit: 'requests',
  jobs: [shopJob],
  labels: { environment: label.values(['production', 'staging']) },
});

const perEnvironment = (staging: string) =>
  prometheusConfig({
    scrapeInterval: '15s',
    evaluationInterval: '30s',
    catalog,
    alertmanagers: ['alertmanager:9093'],
    jobs: [
      scrapeJob({
        job: shopJob,
        labels: { team: 'shop' },
        targets: [
          { targets: ['shop-1:3000', 'shop-2:3000'], labels: { environment: 'production' } },
          { targets: ['shop-staging-1:3000'], labels: { environment: staging } },
        ],
      }),
    ],
  });

describe('target groups', () => {
  it('writes one static config per group, with the job’s labels and its own, which promtool accepts', async () => {
    const definitions = [perEnvironment('staging')];
    const { dir, artifacts, file } = await build(definitions);
    expect(parse(file('prometheus/prometheus.yml')).scrape_configs[0].static_configs).toEqual([
      { targets: ['shop-1:3000', 'shop-2:3000'], labels: { team: 'shop', environment: 'production' } },
      { targets: ['shop-staging-1:3000'], labels: { team: 'shop', environment: 'staging' } },
    ]);
    expect(await emitter.verify!(artifacts, dir, context(definitions))).toEqual([]);
  });

  it('refuses a target label that is not a declared value of its dimension, at the job', () => {
    expect(() => perEnvironment('stagign')).toThrow(
      /scrape job shop: environment="stagign" is not a declared value of environment/,
    );
    try {
      perEnvironment('stagign');
    } catch (error) {
      const [problem] = (error as { diagnostics: { source: { file: string }; hint: string }[] }).diagnostics;
      expect(problem!.source.file).toMatch(/target-groups\.test\.ts$/);
      expect(problem!.hint).toBe('use one of production, staging');
    }
  });

  it('refuses a group without targets', () => {
    expect(() =>
      scrapeJob({ job: shopJob, targets: [{ targets: [], labels: { environment: 'staging' } }] }),
    ).toThrow('scrape job shop has a target group without targets');
  });

  it('refuses targets without the dimension when the job’s metrics declare its label', () => {
    const config = (targets: readonly string[]) => () =>
      prometheusConfig({
        scrapeInterval: '15s',
        evaluationInterval: '30s',
        catalog: defineCatalog([requestsWithEnvironment], { dimensions }),
        alertmanagers: ['alertmanager:9093'],
        jobs: [scrapeJob({ job: shopJob, targets })],
      });
    expect(config(['shop-1:3000'])).toThrow(
      /scrape job shop: target group 1 has no environment label, which every metric of the job declares and the environment dimension takes from the targets/,
    );
    // A job whose metrics do not carry the label (an exporter shared by every environment) needs none.
    expect(() =>
      prometheusConfig({
        scrapeInterval: '15s',
        evaluationInterval: '30s',
        catalog,
        alertmanagers: ['alertmanager:9093'],
        jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
      }),
    ).not.toThrow();
  });
});
