import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { absent, defineCatalog, defineDimensions, max, rate, re, sum } from '@o11y/catalog';
import { O11yErrors, toolPath } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alert, emitter, prometheusConfig, record, ruleGroup, scrapeJob } from '../src/index.ts';
import { run } from '../src/promtool/run.ts';
import { queueDepth, requests, shopJob, unclosedTemplate } from './fixtures.ts';
import { build, context } from './helpers.ts';

const clusters = ['eu-1', 'us-1'];
const dimensions = defineDimensions({
  environment: { values: ['production', 'staging'], source: 'target' },
  cluster: { values: clusters, source: 'external_labels' },
});
const catalog = defineCatalog([requests, queueDepth], { dimensions });

const recorded = ruleGroup('shop-recorded', {
  file: 'shop/recorded',
  rules: [record('shop:queue_depth:sum', sum(queueDepth))],
});
const errorRatio = sum(rate(requests.select({ code: re('5..') }).range('5m')))
  .by('route')
  .div(sum(rate(requests.range('5m'))).by('route'));
const alerting = ruleGroup('shop-alerts', {
  file: 'shop/alerts',
  rules: [
    record('shop:queue_depth:max', max(queueDepth)),
    alert('ShopErrors', {
      expr: errorRatio.gt(0.1),
      severity: 'critical',
      summary: 'Errors',
      description: 'More than 10% of the requests of a route fail.',
      team: 'shop',
    }),
  ],
});

/** One Prometheus per cluster; the US cluster has its own targets and evaluates only the recording rules. */
function perCluster() {
  return prometheusConfig({
    scrapeInterval: '15s',
    evaluationInterval: '30s',
    externalLabels: { region_team: 'sre' },
    catalog,
    jobs: [scrapeJob({ job: shopJob, targets: ['shop-eu-1:3000'] })],
    alertmanagers: ['alertmanager:9093'],
    servers: [
      { name: 'eu-1', externalLabels: { cluster: 'eu-1' } },
      {
        name: 'us-1',
        externalLabels: { cluster: 'us-1' },
        jobs: [scrapeJob({ job: shopJob, targets: ['shop-us-1:3000', 'shop-us-2:3000'] })],
        ruleFiles: (file) => file !== 'shop/alerts',
      },
    ],
  });
}

describe('one definition, a Prometheus per cluster', () => {
  it('writes a prometheus.yml per server with its external labels, targets and rule files, and no shared one', async () => {
    const config = perCluster();
    const { file, artifacts } = await build([recorded, alerting, config]);
    expect(artifacts.filter((a) => a.kind === 'prometheus-config').map((a) => a.path)).toEqual([
      'prometheus/servers/eu-1/prometheus.yml',
      'prometheus/servers/us-1/prometheus.yml',
    ]);
    const eu = parse(file('prometheus/servers/eu-1/prometheus.yml'));
    const us = parse(file('prometheus/servers/us-1/prometheus.yml'));
    expect(eu.global.external_labels).toEqual({ region_team: 'sre', cluster: 'eu-1' });
    expect(us.global.external_labels).toEqual({ region_team: 'sre', cluster: 'us-1' });
    // Rule files are relative to each config, as Prometheus resolves them.
    expect(eu.rule_files).toEqual(['../../rules/shop/alerts.yml', '../../rules/shop/recorded.yml']);
    expect(us.rule_files).toEqual(['../../rules/shop/recorded.yml']);
    expect(eu.scrape_configs[0].static_configs[0].targets).toEqual(['shop-eu-1:3000']);
    expect(us.scrape_configs[0].static_configs[0].targets).toEqual(['shop-us-1:3000', 'shop-us-2:3000']);
  });

  it('passes promtool check config on every server, with the rule files where each config points', async () => {
    const config = perCluster();
    const definitions = [recorded, alerting, config];
    const { dir, artifacts } = await build(definitions);
    expect(await emitter.verify!(artifacts, dir, context(definitions))).toEqual([]);
  });

  it('reports a server whose config promtool refuses, naming its file', async () => {
    const config = prometheusConfig({
      scrapeInterval: '15s',
      evaluationInterval: '30s',
      jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
      alertmanagers: ['alertmanager:9093'],
      servers: [
        { name: 'eu-1' },
        {
          name: 'bad',
          jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'], relabel: [{ regex: '(' }] })],
        },
      ],
    });
    const { dir, artifacts } = await build([recorded, config]);
    const problems = await emitter.verify!(artifacts, dir, context([recorded, config]));
    expect(problems.map((p) => [p.id, p.source])).toEqual([['promtool/check-config', config.source]]);
    expect(problems[0]!.message).toContain('dist/prometheus/servers/bad/prometheus.yml');
  });

  it('checks a rule file that every server loads once, at its rule, through their check config', async () => {
    const unclosed = unclosedTemplate();
    const templated = ruleGroup('shop-templated', { file: 'shop/recorded', rules: [unclosed] });
    const definitions = [recorded, templated, perCluster()];
    const { dir, artifacts } = await build(definitions);
    const problems = await emitter.verify!(artifacts, dir, context(definitions));
    expect(problems.map((p) => [p.id, p.source])).toEqual([['promtool/check-rules', unclosed.source]]);
    expect(problems[0]!.message).toMatch(
      /^promtool check rules rejects dist\/prometheus\/rules\/shop\/recorded\.yml: rule QueueBacklogTemplate \(group shop-templated\): annotation "summary": template: /,
    );
  });

  it('checks on their own the rule files of a config promtool cannot load', async () => {
    const unclosed = unclosedTemplate();
    const templated = ruleGroup('shop-templated', { file: 'shop/recorded', rules: [unclosed] });
    const config = prometheusConfig({
      scrapeInterval: '15s',
      evaluationInterval: '30s',
      jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'], relabel: [{ regex: '(' }] })],
      alertmanagers: ['alertmanager:9093'],
    });
    const definitions = [recorded, templated, config];
    const { dir, artifacts } = await build(definitions);
    const problems = await emitter.verify!(artifacts, dir, context(definitions));
    expect(problems.map((p) => [p.id, p.source])).toEqual([
      ['promtool/check-rules', unclosed.source],
      ['promtool/check-config', config.source],
    ]);
    expect(problems[1]!.message).toMatch(
      /^promtool check config rejects dist\/prometheus\/prometheus\.yml: /,
    );
    expect(problems[1]!.message).not.toContain('Checking');
  });

  it('gives lint every server’s scrape jobs once', async () => {
    const config = perCluster();
    const model = await emitter.model!([recorded, config], context([recorded, config]));
    expect(model.scrapeJobs?.map((j) => j.job)).toEqual(['shop']);
  });

  it('refuses servers the central store could not tell apart', () => {
    const servers =
      (...list: { name: string; externalLabels?: Record<string, string> }[]) =>
      () =>
        prometheusConfig({
          scrapeInterval: '15s',
          evaluationInterval: '30s',
          catalog,
          jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
          alertmanagers: ['alertmanager:9093'],
          servers: list,
        });
    const messages = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(O11yErrors);
        return (error as O11yErrors).diagnostics.map((d) => d.message);
      }
      return [];
    };
    expect(messages(servers({ name: 'eu-1' }))).toEqual(['server eu-1 sets no cluster external label']);
    expect(messages(servers({ name: 'eu-1', externalLabels: { cluster: 'mars' } }))).toEqual([
      'server eu-1: cluster="mars" is not a declared value of cluster',
    ]);
    expect(
      messages(
        servers(
          { name: 'a', externalLabels: { cluster: 'eu-1' } },
          { name: 'b', externalLabels: { cluster: 'eu-1' } },
        ),
      ),
    ).toEqual(['servers a and b both set cluster="eu-1"']);
    expect(
      messages(
        servers(
          { name: 'a', externalLabels: { cluster: 'eu-1' } },
          { name: 'a', externalLabels: { cluster: 'us-1' } },
        ),
      ),
    ).toEqual(['server a is declared twice']);
    expect(messages(servers({ name: 'EU 1', externalLabels: { cluster: 'eu-1' } }))).toEqual([
      'server "EU 1": not a folder name',
    ]);
    expect(() =>
      prometheusConfig({
        scrapeInterval: '15s',
        evaluationInterval: '30s',
        jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
        alertmanagers: ['alertmanager:9093'],
        servers: [
          { name: 'eu-1', remoteWrite: [{ name: 'central', url: 'https://u:p@mimir.example.com/push' }] },
        ],
      }),
    ).toThrow('remote write central: credentials in the URL');
  });

  it('keeps one prometheus.yml when no servers are declared (the single-cluster default)', async () => {
    const config = prometheusConfig({
      scrapeInterval: '15s',
      evaluationInterval: '30s',
      jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
      alertmanagers: ['alertmanager:9093'],
    });
    const { artifacts, file } = await build([recorded, config]);
    expect(artifacts.filter((a) => a.kind === 'prometheus-config').map((a) => a.path)).toEqual([
      'prometheus/prometheus.yml',
    ]);
    expect(parse(file('prometheus/prometheus.yml')).rule_files).toEqual(['rules/shop/recorded.yml']);
  });
});

describe('the central ruler’s copy of the rules of several servers', () => {
  it('keeps the servers’ external labels through every aggregation, where each Prometheus’s copy need not', async () => {
    const { file } = await build([recorded, alerting, perCluster()]);
    expect(file('prometheus/rules/shop/recorded.yml')).toContain('expr: sum(shop_queue_depth)');
    const mimir = parse(file('mimir/shop.yml'));
    expect(mimir.groups.flatMap((g: { rules: { expr: string }[] }) => g.rules.map((r) => r.expr))).toEqual([
      'max by (cluster) (shop_queue_depth)',
      'sum by (route, cluster) (rate(shop_requests_total{code=~"5.."}[5m])) / sum by (route, cluster) (rate(shop_requests_total[5m])) > 0.1',
      'sum by (cluster) (shop_queue_depth)',
    ]);
  });

  it('warns, once per rule file at its first such rule, of the rules whose copy still mixes the clusters', async () => {
    const absentGroup = ruleGroup('shop-absent', {
      file: 'shop/absent',
      rules: [
        alert('ShopQueueMissing', {
          expr: absent(queueDepth),
          severity: 'warning',
          summary: 'No queue depth',
          description: 'No cluster reports the queue depth.',
          team: 'shop',
        }),
      ],
    });
    const definitions = [recorded, alerting, absentGroup, perCluster()];
    const { dir, artifacts } = await build(definitions);
    const diagnostics = await emitter.verify!(artifacts, dir, context(definitions));
    expect(diagnostics.map((d) => [d.severity, d.id, d.message, d.source?.line])).toEqual([
      [
        'warning',
        'rules/central-ruler',
        'in a central ruler (dist/mimir/shop.yml), ShopQueueMissing of shop/absent still mixes every cluster: absent() has no per-cluster form',
        absentGroup.rules[0]!.source.line,
      ],
    ]);
  });

  it('computes per cluster over every cluster’s series, as promtool shows: errors in one cluster alert only there', async () => {
    const { dir, file } = await build([recorded, alerting, perCluster()]);
    await writeFile(
      path.join(dir, 'central.yml'),
      stringify({ groups: parse(file('mimir/shop.yml')).groups }),
    );
    const series = (cluster: string, code: string, perMinute: number) => ({
      series: `shop_requests_total{cluster="${cluster}",route="/cart",code="${code}"}`,
      values: `0+${perMinute}x30`,
    });
    await writeFile(
      path.join(dir, 'central.test.yml'),
      stringify({
        rule_files: ['central.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              series('eu-1', '200', 50),
              series('eu-1', '500', 50),
              series('us-1', '200', 100),
              { series: 'shop_queue_depth{cluster="eu-1"}', values: '3x30' },
              { series: 'shop_queue_depth{cluster="us-1"}', values: '4x30' },
            ],
            alert_rule_test: [
              {
                eval_time: '20m',
                alertname: 'ShopErrors',
                exp_alerts: [
                  {
                    exp_labels: { cluster: 'eu-1', route: '/cart', severity: 'critical', team: 'shop' },
                    exp_annotations: {
                      summary: 'Errors',
                      description: 'More than 10% of the requests of a route fail.',
                    },
                  },
                ],
              },
            ],
            promql_expr_test: [
              {
                expr: 'shop:queue_depth:sum',
                eval_time: '20m',
                exp_samples: [
                  { labels: 'shop:queue_depth:sum{cluster="eu-1"}', value: 3 },
                  { labels: 'shop:queue_depth:sum{cluster="us-1"}', value: 4 },
                ],
              },
            ],
          },
        ],
      }),
    );
    const { code, output } = await run(toolPath('promtool'), ['test', 'rules', 'central.test.yml'], dir, {
      mergeOutput: true,
    });
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  });
});
