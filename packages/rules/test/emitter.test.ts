import { defineCatalog, rate, raw, sum } from '@o11y/catalog';
import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alert,
  constant,
  emitter,
  fires,
  linear,
  near,
  prometheusConfig,
  record,
  recordingRuleOf,
  ruleGroup,
  ruleTests,
  samples,
  scrapeJob,
  series,
  silent,
  testCase,
  tester,
} from '../src/index.ts';
import { duration, queueDepth, requests, shopJob, unclosedTemplate } from './fixtures.ts';
import { build, context, root } from './helpers.ts';

function shopRules() {
  const rps = record('route:shop_requests:rate5m', sum(rate(requests.range('5m'))).by('route'), {
    labels: { tier: 'web' },
  });
  const backlog = alert('QueueBacklog', {
    expr: queueDepth.gt(100),
    for: '10m',
    keepFiringFor: '5m',
    severity: 'warning',
    team: 'web',
    summary: 'The shop queue backs up',
    description: 'The queue on {{ $labels.instance }} holds more than 100 jobs.',
    runbookUrl: 'https://runbooks.example.com/QueueBacklog',
    labels: { component: 'queue' },
  });
  const group = ruleGroup('shop', {
    file: 'shop/web',
    interval: '30s',
    limit: 100,
    queryOffset: '15s',
    labels: { cluster: 'eu' },
    rules: [rps, backlog],
  });
  return { rps, backlog, group };
}

function shopConfig() {
  return prometheusConfig({
    scrapeInterval: '15s',
    evaluationInterval: '30s',
    jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000'] })],
    alertmanagers: ['alertmanager:9093'],
  });
}

describe('emitted files', () => {
  it('write a rule file, a PrometheusRule, a Mimir namespace and alerts.json from one group', async () => {
    const { group } = shopRules();
    const { file } = await build([group]);
    const rules = parse(file('prometheus/rules/shop/web.yml'));
    expect(rules).toEqual({
      groups: [
        {
          name: 'shop',
          interval: '30s',
          limit: 100,
          query_offset: '15s',
          labels: { cluster: 'eu' },
          rules: [
            {
              record: 'route:shop_requests:rate5m',
              expr: 'sum by (route) (rate(shop_requests_total[5m]))',
              labels: { tier: 'web' },
            },
            {
              alert: 'QueueBacklog',
              expr: 'shop_queue_depth > 100',
              for: '10m',
              keep_firing_for: '5m',
              labels: { component: 'queue', severity: 'warning', team: 'web' },
              annotations: {
                description: 'The queue on {{ $labels.instance }} holds more than 100 jobs.',
                runbook_url: 'https://runbooks.example.com/QueueBacklog',
                summary: 'The shop queue backs up',
              },
            },
          ],
        },
      ],
    });
    const operator = parse(file('prometheus/operator/shop/web.yaml'));
    expect(operator).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'shop-web' },
    });
    expect(operator.spec).toEqual(rules);
    expect(parse(file('mimir/shop.yml'))).toEqual({ namespace: 'shop', ...rules });
    expect(JSON.parse(file('prometheus/alerts.json'))).toEqual([
      {
        alert: 'QueueBacklog',
        group: 'shop',
        labels: { cluster: 'eu', component: 'queue', severity: 'warning', team: 'web' },
        keptLabels: ['instance', 'job'],
        source: expect.objectContaining({ file: 'packages/rules/test/emitter.test.ts' }),
      },
    ]);
  });

  it('are byte-identical from build to build', async () => {
    const first = await build([shopRules().group]);
    const second = await build([shopRules().group]);
    expect(second.artifacts.map((a) => [a.path, a.content])).toEqual(
      first.artifacts.map((a) => [a.path, a.content]),
    );
  });

  it('drop group intervals and scrape every second in the test profile', async () => {
    const { group } = shopRules();
    const config = shopConfig();
    const { file } = await build([group, config], 'test');
    expect(parse(file('prometheus/rules/shop/web.yml')).groups[0].interval).toBeUndefined();
    const yml = parse(file('prometheus/prometheus.yml'));
    expect(yml.global).toEqual({ scrape_interval: '1s', evaluation_interval: '1s' });
    expect(yml.scrape_configs[0].scrape_interval).toBeUndefined();
  });

  it('give prometheus.yml every rule file and limits from the catalogue budgets', async () => {
    const { group } = shopRules();
    const catalog = defineCatalog([requests, duration, queueDepth]);
    const config = prometheusConfig({
      scrapeInterval: '15s',
      evaluationInterval: '30s',
      catalog,
      jobs: [scrapeJob({ job: shopJob, targets: ['shop-1:3000', 'shop-2:3000'] })],
      alertmanagers: ['alertmanager:9093'],
      remoteWrite: [
        {
          name: 'mimir',
          url: 'https://mimir.example.com/api/v1/push',
          basicAuth: { username: 'p', passwordFile: '/run/pw' },
        },
      ],
    });
    const { file } = await build([group, config]);
    const yml = parse(file('prometheus/prometheus.yml'));
    expect(yml.rule_files).toEqual(['rules/shop/web.yml']);
    // requests: 2 routes × 4 codes; histogram: 2 routes × (6 buckets + sum + count); gauge: 1 → 25 series, ×2 headroom.
    expect(yml.scrape_configs[0]).toMatchObject({
      job_name: 'shop',
      scrape_interval: '15s',
      sample_limit: 100,
      label_limit: 6,
    });
    expect(yml.remote_write).toEqual([
      {
        name: 'mimir',
        url: 'https://mimir.example.com/api/v1/push',
        basic_auth: { username: 'p', password_file: '/run/pw' },
      },
    ]);
  });

  it('refuse two groups of one name', () => {
    const a = ruleGroup('same', { rules: [record('a:b:c', queueDepth)] });
    const b = ruleGroup('same', { file: 'other', rules: [record('a:b:d', queueDepth)] });
    expect(() => [...emitter.emit([a, b], context([a, b]))]).toThrow(O11yErrors);
  });
});

describe('record', () => {
  it('records the expression itself without static labels, and narrows each static label to its value', () => {
    const expr = sum(rate(requests.range('5m'))).by('route');
    const plain = record('route:plain_requests:rate5m', expr);
    expect(plain.expr).toBe(expr);
    const labelled = record('route:labelled_requests:rate5m', expr, { labels: { tier: 'web' } });
    expect(labelled.expr.node).toBe(expr.node);
    expect(labelled.expr.labels).toEqual(['route', 'tier']);
    expect(labelled.expr.specs).toEqual({ ...expr.specs, tier: { kind: 'values', values: ['web'] } });
    expect(recordingRuleOf(plain)?.expr).toBe(expr);
  });
});

describe('model', () => {
  it('gives lint and diff every rule with its TypeScript line, and the scrape jobs', async () => {
    const { group, backlog } = shopRules();
    const rawGroup = ruleGroup('raw', {
      rules: [record('shop:raw:sum', raw('sum(shop_queue_depth)', { labels: [] }))],
    });
    const config = shopConfig();
    const model = await emitter.model!([group, rawGroup, config], context([group, rawGroup, config]));
    expect(model.ruleGroups?.map((g) => [g.name, g.file, g.interval])).toEqual([
      ['raw', 'dist/prometheus/rules/raw.yml', undefined],
      ['shop', 'dist/prometheus/rules/shop/web.yml', '30s'],
    ]);
    const alertModel = model.ruleGroups![1]!.rules[1]!;
    expect(alertModel).toMatchObject({
      kind: 'alert',
      name: 'QueueBacklog',
      for: '10m',
      source: backlog.source,
    });
    expect(model.ruleGroups![0]!.rules[0]!.raw).toBe(true);
    expect(model.scrapeJobs).toEqual([
      { job: 'shop', scrapeInterval: '15s', source: config.jobs[0]!.source },
    ]);
  });
});

describe('verify', () => {
  it('passes what promtool check rules and check config accept', async () => {
    const { group } = shopRules();
    const config = shopConfig();
    const { dir, artifacts } = await build([group, config]);
    expect(await emitter.verify!(artifacts, dir, context([group, config]))).toEqual([]);
  });

  it("reports an expression promtool cannot parse at its rule, as lint's promql/syntax, with the parser's message", async () => {
    const broken = record('shop:broken:rate5m', raw('rate(shop_requests_total[5m]', { labels: [] }));
    const group = ruleGroup('broken', { rules: [record('shop:queue_depth:max', queueDepth), broken] });
    const { dir, artifacts } = await build([group]);
    const problems = await emitter.verify!(artifacts, dir, context([group]));
    expect(problems).toEqual([
      expect.objectContaining({
        id: 'promql/syntax',
        source: recordingRuleOf(broken)!.source,
        message: expect.stringMatching(
          /^invalid PromQL in rule shop:broken:rate5m \(group broken\) at 1:\d+: unclosed left parenthesis$/,
        ),
      }),
    ]);
    expect(recordingRuleOf(broken)!.source.line).not.toBe(group.source.line);
  });

  it('checks every rule file in one promtool run and maps what it rejects to the rule, without its SUCCESS lines', async () => {
    const { group: shop } = shopRules();
    const unclosed = unclosedTemplate();
    const other = ruleGroup('other', {
      file: 'other',
      rules: [record('shop:queue_depth:max', queueDepth), unclosed],
    });
    const { dir, artifacts } = await build([shop, other]);
    const problems = await emitter.verify!(artifacts, dir, context([shop, other]));
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ id: 'promtool/check-rules', source: unclosed.source });
    expect(problem!.message).toMatch(
      /^promtool check rules rejects dist\/prometheus\/rules\/other\.yml: rule QueueBacklogTemplate \(group other\): annotation "summary": template: __alert_QueueBacklogTemplate:1: function "backs" not defined$/,
    );
    expect(problem!.message).not.toContain('SUCCESS');
    expect(problem!.message).not.toContain('Checking');
  });
  it('reports a syntax error once, at its rule, and what promtool rejects in the same file and the other files of the run', async () => {
    const { group: shop } = shopRules();
    const broken = record('shop:broken:rate5m', raw('rate(shop_requests_total[5m]', { labels: [] }));
    const besideIt = unclosedTemplate();
    const brokenGroup = ruleGroup('broken', { file: 'broken', rules: [broken, besideIt] });
    const unclosed = unclosedTemplate();
    const other = ruleGroup('other', { file: 'other', rules: [unclosed] });
    const definitions = [shop, brokenGroup, other];
    const { dir, artifacts } = await build(definitions);
    const problems = await emitter.verify!(artifacts, dir, context(definitions));
    expect(problems.map((p) => [p.id, p.source])).toEqual([
      ['promql/syntax', recordingRuleOf(broken)!.source],
      ['promtool/check-rules', besideIt.source],
      ['promtool/check-rules', unclosed.source],
    ]);
  });
});

describe('promtool tests and rule-test coverage', () => {
  it('runs the tests, reports failures at the test line, and counts coverage from passing tests only', async () => {
    const { rps, backlog, group } = shopRules();
    const idle = alert('QueueIdle', {
      expr: queueDepth.eq(0),
      severity: 'info',
      team: 'web',
      summary: 'Nothing to do',
      description: 'The queue is empty.',
      untested: 'informational only; it fires whenever the shop is quiet and routes nowhere',
    });
    const orphan = alert('QueueGone', {
      expr: queueDepth.lt(0),
      severity: 'warning',
      team: 'web',
      summary: 'Impossible',
      description: 'A negative queue.',
    });
    const extra = ruleGroup('shop-extra', { file: 'shop/web', rules: [idle, orphan] });
    const input = [
      series(requests, { route: '/cart', code: '200' }, linear(0, 60, 30)),
      series(queueDepth, { instance: 'shop-1:3000', job: 'shop' }, constant(500, 30)),
    ];
    const suite = ruleTests('shop', {
      rules: [group, extra],
      tests: [
        testCase('backlog fires after 10m', {
          interval: '1m',
          input,
          alerts: [
            silent(backlog, '5m'),
            fires(backlog, '15m', [{ labels: { instance: 'shop-1:3000', job: 'shop' } }]),
          ],
          exprs: [
            near(rps.select({ route: '/cart' }), '10m', {
              labels: { route: '/cart', tier: 'web', cluster: 'eu' },
              value: 1,
            }),
          ],
        }),
        testCase('a wrong expectation fails', {
          interval: '1m',
          input,
          alerts: [silent(orphan, '5m'), fires(orphan, '10m')],
        }),
      ],
    });
    const { dir } = await build([group, extra, suite]);
    const report = await tester.run(dir, { root, log: () => {} });
    const byName = Object.fromEntries(report.cases.map((c) => [c.name, c]));
    expect(byName['tests/shop.yml: backlog fires after 10m']?.passed).toBe(true);
    const failed = byName['tests/shop.yml: a wrong expectation fails']!;
    expect(failed.passed).toBe(false);
    expect(failed.failure?.source).toMatchObject({ file: 'packages/rules/test/emitter.test.ts' });
    expect(failed.failure?.message).toContain('alertname: QueueGone');
    // QueueGone's only tests are in the failing test case, so it counts as untested; QueueIdle opted out.
    const gap = byName['coverage: alert QueueGone (shop-extra)']!;
    expect(gap.passed).toBe(false);
    expect(gap.failure?.message).toBe(
      'QueueGone lacks a test where it fires and a test where it does not fire that passes',
    );
    expect(gap.failure?.source).toEqual(orphan.source);
    expect(report.summary).toEqual(['rule-test coverage: 3/4 rules (75%), 1 opted out with a reason']);
  }, 30_000);

  it('counts a recording rule as tested only by a test that expects a sample of it', async () => {
    const { rps, backlog, group } = shopRules();
    const input = [series(requests, { route: '/cart', code: '200' }, linear(0, 60, 30))];
    const quietRoute = rps.select({ route: '/checkout' });
    const noSample = ruleTests('shop-no-sample', {
      rules: [group],
      tests: [
        testCase('an unserved route records nothing', {
          interval: '1m',
          input,
          alerts: [silent(backlog, '10m')],
          exprs: [samples(quietRoute, '10m', [])],
        }),
      ],
    });
    const { dir } = await build([group, noSample]);
    const report = await tester.run(dir, { root, log: () => {} });
    const byName = Object.fromEntries(report.cases.map((c) => [c.name, c]));
    // promtool passes the test, yet it would pass as well if the rule recorded nothing at all.
    expect(byName['tests/shop-no-sample.yml: an unserved route records nothing']?.passed).toBe(true);
    const gap = byName['coverage: recording rule route:shop_requests:rate5m (shop)']!;
    expect(gap.passed).toBe(false);
    expect(gap.failure?.message).toBe(
      'route:shop_requests:rate5m lacks a test that expects a sample of it (promql_expr_test) that passes',
    );
    expect(gap.failure?.source).toEqual(recordingRuleOf(rps)?.source);
  }, 30_000);

  it('renders label templates in expected annotations and refuses to guess $value', () => {
    const { backlog, group } = shopRules();
    const valued = alert('QueueValue', {
      expr: queueDepth.gt(1),
      severity: 'warning',
      team: 'web',
      summary: 'Queue',
      description: 'The queue holds {{ $value }} jobs.',
    });
    const other = ruleGroup('valued', { rules: [valued] });
    const suite = ruleTests('valued', {
      rules: [group, other],
      tests: [
        testCase('value', {
          interval: '1m',
          input: [series(queueDepth, {}, constant(5, 10))],
          alerts: [fires(valued, '5m'), silent(backlog, '5m')],
        }),
      ],
    });
    expect(() => [...emitter.emit([group, other, suite], context([group, other, suite]))]).toThrow(
      /cannot predict the rendering of "The queue holds \{\{ \$value \}\} jobs."/,
    );
  });
});

describe('the tester without a build', () => {
  it('says so instead of failing', async () => {
    const { dir } = await build([]);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases).toEqual([]);
    expect(report.summary).toEqual(['no Prometheus rules were built']);
  });
});

describe('alerts Grafana evaluates', () => {
  it('leave the Prometheus rule files, while promtool still tests them on the same PromQL', async () => {
    const { rps, backlog } = shopRules();
    const group = ruleGroup('shop', { file: 'shop/web', rules: [rps, backlog], alerting: 'grafana' });
    const alertsOnly = ruleGroup('shop-alerts', {
      file: 'shop/alerts',
      rules: [backlog],
      alerting: 'grafana',
    });
    const suite = ruleTests('shop', {
      rules: [group],
      tests: [
        testCase('backlog fires after 10m', {
          interval: '1m',
          input: [series(queueDepth, { instance: 'shop-1:3000', job: 'shop' }, constant(500, 30))],
          alerts: [fires(backlog, '15m', [{ labels: { instance: 'shop-1:3000', job: 'shop' } }])],
        }),
      ],
    });
    const { dir, artifacts, file } = await build(
      [group, alertsOnly, suite, shopConfig()],
      'default',
      'grafana',
    );
    const deployed = parse(file('prometheus/rules/shop/web.yml')) as { groups: { rules: object[] }[] };
    expect(deployed.groups[0]!.rules).toEqual([expect.objectContaining({ record: rps.name })]);
    expect(artifacts.map((a) => a.path)).not.toContain('prometheus/rules/shop/alerts.yml');
    expect(parse(file('prometheus/prometheus.yml')).rule_files).toEqual(['rules/shop/web.yml']);
    const whole = parse(file('prometheus/tests/rules/shop/web.yml')) as {
      groups: { rules: { alert?: string }[] }[];
    };
    expect(whole.groups[0]!.rules.map((r) => r.alert)).toEqual([undefined, 'QueueBacklog']);
    expect(parse(file('prometheus/tests/shop.yml')).rule_files).toEqual(['rules/shop/web.yml']);
    const report = await tester.run(dir, { root, log: () => {} });
    expect(report.cases.find((c) => c.name === 'tests/shop.yml: backlog fires after 10m')?.passed).toBe(true);
  }, 30_000);
});
