import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stableStringify } from '@o11y/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDistTree, treeFromFiles } from '../src/built/tree.ts';
import { diffTrees } from '../src/diff/engine.ts';
import { promqlFormatter } from '../src/diff/promql.ts';
import { renderJson, renderMarkdown, renderText } from '../src/diff/render.ts';
import { buildRef } from '../src/diff/worktree.ts';
import { dashboardJson, type FixtureDashboard, fixtureTree } from './support/fixtures.ts';

let formatQuery: (expr: string) => string;
beforeAll(async () => {
  formatQuery = await promqlFormatter();
});

const base: FixtureDashboard[] = [
  { uid: 'payments', title: 'Payments', dir: 'services' },
  { uid: 'orders', title: 'Orders', dir: 'services' },
  { uid: 'old', title: 'Old', dir: '' },
];

describe('diff of two builds', () => {
  it('says nothing about identical builds', () => {
    const report = diffTrees(fixtureTree(base), fixtureTree(base), { formatQuery });
    expect(report.sections.every((s) => s.items.length === 0)).toBe(true);
    expect(renderText(report)).toBe('No changes.\n');
    expect(renderMarkdown(report)).toContain('No changes');
  });

  it('reports exactly one changed query as a diff of the prettified PromQL', () => {
    const longer =
      'sum by (service) (rate(http_requests_total{service="payments",code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{service="payments"}[5m]))';
    const head = base.map((d) => (d.uid === 'payments' ? { ...d, query: longer } : d));
    const report = diffTrees(fixtureTree(base), fixtureTree(head), { formatQuery });
    const dashboards = report.sections.find((s) => s.name === 'Dashboards')!;
    expect(dashboards.items).toHaveLength(1);
    expect(dashboards.items[0]!.changes.map((c) => [c.kind, c.subject])).toEqual([
      ['query', 'panel "Request rate" query A'],
    ]);
    expect(renderText(report)).toBe(
      [
        'Dashboards: 0 added, 0 removed, 1 changed',
        '  ~ Payments (payments) [services]',
        '      panel "Request rate" query A changed',
        '        - sum(rate(http_requests_total{service="payments"}[5m]))',
        '        +   sum by (service) (rate(http_requests_total{code=~"5..",service="payments"}[5m]))',
        '        + /',
        '        +   sum by (service) (rate(http_requests_total{service="payments"}[5m]))',
        '',
      ].join('\n'),
    );
    for (const section of report.sections.filter((s) => s.name !== 'Dashboards'))
      expect(section.items).toEqual([]);
  });

  it('finds added, removed, renamed and moved dashboards, panels, units, thresholds and variables', () => {
    const head: FixtureDashboard[] = [
      { uid: 'payments', title: 'Payments service', dir: 'services', unit: 's' },
      { uid: 'orders', title: 'Orders', dir: '' },
      { uid: 'new', title: 'New', dir: 'services' },
    ];
    const headTree = fixtureTree(head);
    const files = new Map(headTree.files);
    const payments = dashboardJson(head[0]!) as { panels: unknown[]; templating: { list: unknown[] } };
    payments.panels.push({
      id: 2,
      type: 'stat',
      title: 'Error budget',
      gridPos: { h: 4, w: 6, x: 12, y: 0 },
      fieldConfig: {
        defaults: {
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: 'red', value: null },
              { color: 'green', value: 0.5 },
            ],
          },
        },
      },
      targets: [{ refId: 'A', expr: 'slo:error_budget:ratio' }],
    });
    payments.templating.list.push({
      name: 'instance',
      type: 'query',
      query: 'label_values(up{job="$job"}, instance)',
    });
    files.set('grafana/dashboards/services/payments.json', stableStringify(payments));
    const report = diffTrees(fixtureTree(base), treeFromFiles(files), { formatQuery });
    const items = report.sections.find((s) => s.name === 'Dashboards')!.items;
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['new', 'added'],
      ['old', 'removed'],
      ['orders', 'changed'],
      ['payments', 'changed'],
    ]);
    expect(items.find((i) => i.id === 'orders')!.changes).toEqual([
      { kind: 'moved', subject: 'folder', before: 'services', after: 'General' },
    ]);
    const payment = items.find((i) => i.id === 'payments')!.changes;
    expect(
      payment.map(
        (c) => `${c.kind}: ${c.subject}${c.before !== undefined ? ` ${c.before} → ${c.after}` : ''}`,
      ),
    ).toEqual([
      'renamed: title Payments → Payments service',
      'unit: panel "Request rate" reqps → s',
      'panel-added: panel "Error budget"',
      'variable-added: variable $instance',
    ]);
    const markdown = renderMarkdown(report);
    expect(markdown.indexOf('| Dashboards | 1 | 1 | 2 |')).toBeGreaterThan(0);
    expect(markdown.indexOf('| Dashboards')).toBeLessThan(markdown.indexOf('<details>'));
    expect(markdown).toContain(
      '<summary>~ <b>Payments service</b> (<code>payments</code>) in <code>services</code> — changed, 4 changes</summary>',
    );
    expect(JSON.parse(renderJson(report)).sections[0].items).toHaveLength(4);
  });

  it('reports a panel moved in the layout, not the panels that merely shifted', () => {
    const panels = (order: string[]) =>
      order.map((title, i) => ({
        id: i + 1,
        type: 'timeseries',
        title,
        gridPos: { h: 8, w: 24, x: 0, y: i * 8 },
        targets: [],
      }));
    const tree = (order: string[]) =>
      treeFromFiles({
        'grafana/dashboards/d.json': stableStringify({ uid: 'd', title: 'D', panels: panels(order) }),
      });
    const report = diffTrees(tree(['A', 'B', 'C', 'D']), tree(['A', 'C', 'D', 'B']), { formatQuery });
    const changes = report.sections[0]!.items[0]!.changes;
    expect(changes.map((c) => `${c.kind} ${c.subject}`)).toEqual(['panel-moved panel "B"']);
  });

  it('reports rule expression, for, labels and annotations; SLO objectives; Alertmanager routes and receivers; series estimates', () => {
    const rules = (expr: string, forDuration: string, severity: string) => `groups:
  - name: payments
    rules:
      - alert: PaymentsErrors
        expr: ${expr}
        for: ${forDuration}
        labels: { severity: ${severity} }
        annotations: { summary: Payments errors }
      - record: job:up:sum
        expr: sum by (job) (up)
`;
    const am = (receiver: string, url: string) => `route:
  receiver: default
  routes:
    - receiver: ${receiver}
      matchers: ['severity="page"']
receivers:
  - name: default
  - name: pagerduty
    pagerduty_configs: [{ routing_key_file: /secrets/pd }]
  - name: slack
    slack_configs: [{ api_url: ${url} }]
`;
    const tree = (
      expr: string,
      forDuration: string,
      severity: string,
      objective: number,
      receiver: string,
      url: string,
      series: number,
    ) =>
      treeFromFiles({
        'prometheus/rules/payments.yml': rules(expr, forDuration, severity),
        'mimir/payments.yml': rules(expr, forDuration, severity),
        'slo/payments-availability.json': JSON.stringify({
          name: 'payments-availability',
          objective,
          window: '30d',
        }),
        'alertmanager/alertmanager.yml': am(receiver, url),
        'manifest.json': JSON.stringify({
          artifacts: [
            {
              path: 'slo/payments-availability.json',
              kind: 'slo',
              sha256: '',
              source: { file: 'rules/slo.ts', line: 1, column: 1 },
            },
            {
              path: 'prometheus/rules/payments.yml',
              kind: 'prometheus-rules',
              sha256: '',
              estimatedSeries: series,
              source: { file: 'rules/p.ts', line: 1, column: 1 },
            },
          ],
        }),
      });
    const report = diffTrees(
      tree(
        'sum(rate(errors_total[5m])) > 1',
        '5m',
        'ticket',
        0.999,
        'slack',
        'https://hooks.example/SECRET-A',
        120,
      ),
      tree(
        'sum(rate(errors_total[5m])) > 2',
        '10m',
        'page',
        0.995,
        'pagerduty',
        'https://hooks.example/SECRET-B',
        150,
      ),
      { formatQuery },
    );
    const [, ruleSection, sloSection, amSection] = report.sections;
    expect(ruleSection!.items).toHaveLength(1);
    expect(ruleSection!.items[0]!.changes.map((c) => `${c.kind} ${c.before ?? ''}→${c.after ?? ''}`)).toEqual(
      [
        'expr sum(rate(errors_total[5m])) > 1→sum(rate(errors_total[5m])) > 2',
        'for 5m→10m',
        'label ticket→page',
      ],
    );
    expect(sloSection!.items[0]!.changes).toEqual([
      { kind: 'objective', subject: 'objective', before: '0.999', after: '0.995' },
    ]);
    expect(
      amSection!.items.map(
        (i) =>
          `${i.title}: ${i.changes.map((c) => `${c.subject} ${c.before ?? ''}→${c.after ?? ''}`).join('; ')}`,
      ),
    ).toEqual(['receiver slack: slack_configs →', 'route root > severity="page": receiver slack→pagerduty']);
    expect(report.cardinality).toEqual({ before: 120, after: 150 });
    const text = renderText(report);
    expect(text).toContain('Estimated series: 120 → 150 (+30)');
    expect(text + renderMarkdown(report) + renderJson(report)).not.toContain('SECRET');
  });
});

describe('diff of two builds with Loki rules', () => {
  const lokiRules = (expr: string, threshold: number) =>
    treeFromFiles({
      'loki/rules/logs.yml': `groups:
  - name: service-logs
    rules:
      - alert: ErrorLogBurst
        expr: sum by (service) (count_over_time({service="payments"} |= "error" [5m])) > ${threshold}
        for: 5m
        labels: { severity: warning }
      - record: service:log_lines:rate5m
        expr: ${expr}
`,
    });

  it('reports a Loki rule whose LogQL or threshold changed, as written, in its own section', () => {
    const report = diffTrees(
      lokiRules('sum by (service) (rate({service="payments"}[5m]))', 50),
      lokiRules('sum by (service) (rate({service="payments"} |= "error" [5m]))', 100),
      { formatQuery },
    );
    const loki = report.sections.find((s) => s.name === 'Loki rules')!;
    expect(
      loki.items.map((i) => [i.title, i.changes.map((c) => c.lines?.map((l) => `${l.op} ${l.text}`))]),
    ).toEqual([
      [
        'service-logs/ErrorLogBurst',
        [
          [
            '- sum by (service) (count_over_time({service="payments"} |= "error" [5m])) > 50',
            '+ sum by (service) (count_over_time({service="payments"} |= "error" [5m])) > 100',
          ],
        ],
      ],
      [
        'service-logs/service:log_lines:rate5m',
        [
          [
            '- sum by (service) (rate({service="payments"}[5m]))',
            '+ sum by (service) (rate({service="payments"} |= "error" [5m]))',
          ],
        ],
      ],
    ]);
    expect(report.sections.find((s) => s.name === 'Rules')!.items).toEqual([]);
    expect(renderText(report)).toContain('Loki rules: 0 added, 0 removed, 2 changed');
  });
});

describe('diff of two builds with Grafana-managed alerting', () => {
  const grafana = (o: {
    expr: string;
    forDuration: string;
    channel: string;
    pager: boolean;
    critical: string;
    nights: string;
  }) =>
    treeFromFiles({
      'grafana/alerting/rule-groups/o11y-alerts-payments/payments.json': JSON.stringify({
        title: 'payments',
        folderUid: 'o11y-alerts-payments',
        interval: 60,
        rules: [
          {
            uid: 'o11y-errors',
            title: 'PaymentsErrors',
            condition: 'C',
            data: [{ refId: 'A', datasourceUid: 'o11y-prometheus', model: { refId: 'A', expr: o.expr } }],
            for: o.forDuration,
            labels: { severity: 'critical' },
            annotations: { summary: 'Payments fail' },
          },
        ],
      }),
      'grafana/alerting/contact-points.json': JSON.stringify([
        {
          uid: 'o11y-slack',
          name: 'chat',
          type: 'slack',
          settings: { url: '$__env{SLACK_URL}', recipient: o.channel },
        },
        ...(o.pager
          ? [
              {
                uid: 'o11y-pager',
                name: 'pager',
                type: 'pagerduty',
                settings: { integrationKey: '$__env{PD_KEY}' },
              },
            ]
          : []),
      ]),
      'grafana/alerting/policies.json': JSON.stringify({
        receiver: 'chat',
        routes: [
          { receiver: 'chat', object_matchers: [['severity', '=', o.critical]] },
          ...(o.pager ? [{ receiver: 'pager', object_matchers: [['team', '=', 'payments']] }] : []),
        ],
      }),
      'grafana/alerting/mute-timings.json': JSON.stringify([
        { name: 'nights', time_intervals: [{ times: [{ start_time: o.nights, end_time: '06:00' }] }] },
      ]),
    });
  const before = {
    expr: 'sum(rate(errors_total[5m])) > 0',
    forDuration: '5m',
    channel: '#pay',
    pager: false,
    critical: 'critical',
    nights: '00:00',
  };

  it('reports alert rules, contact points, the policy tree and mute timings, never a setting value', () => {
    const after = {
      expr: 'sum(rate(errors_total[5m])) > 1',
      forDuration: '10m',
      channel: '#payments',
      pager: true,
      critical: 'page',
      nights: '22:00',
    };
    const report = diffTrees(grafana(before), grafana(after), { formatQuery });
    const section = report.sections.find((s) => s.name === 'Grafana alerting')!;
    expect(
      section.items.map((i) => [
        i.status,
        i.title,
        i.changes.map((c) => `${c.subject}: ${c.before ?? ''} → ${c.after ?? ''}`),
      ]),
    ).toEqual([
      [
        'changed',
        'alert rule "PaymentsErrors"',
        ['query: sum(rate(errors_total[5m])) > 0 → sum(rate(errors_total[5m])) > 1', 'for: 5m → 10m'],
      ],
      ['added', 'contact point pager (pagerduty)', ['type:  → pagerduty']],
      ['changed', 'contact point chat (slack)', ['settings.recipient:  → ']],
      ['changed', 'policy root > severity="page"', ['matchers: severity="critical" → severity="page"']],
      ['added', 'policy root > team="payments"', ['receiver:  → pager']],
      ['changed', 'mute timing nights', [expect.stringContaining('22:00')]],
    ]);
    expect(section.items[0]!.location).toBe('o11y-alerts-payments/payments');
    expect(renderText(report)).toContain('Grafana alerting: 2 added, 0 removed, 4 changed');
    const all = renderText(report) + renderMarkdown(report) + renderJson(report);
    expect(all).not.toContain('#payments');
    expect(all).not.toContain('SLACK_URL');
  });

  it('says nothing when the Grafana alerting is the same', () => {
    expect(
      diffTrees(grafana(before), grafana(before), { formatQuery }).sections.every(
        (s) => s.items.length === 0,
      ),
    ).toBe(true);
  });
});

describe('building a git ref in a temporary worktree', () => {
  it('diffs HEAD~1 against the working tree: exactly the one changed query', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'o11y-diff-repo-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: repo,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@e',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@e',
          },
        });
      await mkdir(path.join(repo, 'node_modules'));
      await writeFile(path.join(repo, '.gitignore'), 'node_modules\n');
      const write = async (query: string) => {
        const tree = fixtureTree([{ uid: 'payments', title: 'Payments', dir: 'services', query }]);
        for (const [file, content] of tree.files) {
          await mkdir(path.dirname(path.join(repo, 'src', file)), { recursive: true });
          await writeFile(path.join(repo, 'src', file), content);
        }
      };
      git('init', '-q', '-b', 'main');
      await write('sum(rate(http_requests_total[5m]))');
      git('add', '.');
      git('commit', '-q', '-m', 'first');
      await write('sum by (code) (rate(http_requests_total[5m]))');
      git('commit', '-q', '-am', 'second');
      // The "build" of this fixture repository copies src/ to the output directory.
      const build = async (cwd: string, out: string) => {
        expect(await readFile(path.join(cwd, 'node_modules', '..', '.gitignore'), 'utf8')).toBe(
          'node_modules\n',
        );
        await cp(path.join(cwd, 'src'), out, { recursive: true });
      };
      const out = path.join(repo, '..', `${path.basename(repo)}-base`);
      await buildRef(repo, 'HEAD~1', out, build);
      const report = diffTrees(await readDistTree(out), await readDistTree(path.join(repo, 'src')), {
        formatQuery,
      });
      expect(renderText(report)).toBe(
        [
          'Dashboards: 0 added, 0 removed, 1 changed',
          '  ~ Payments (payments) [services]',
          '      panel "Request rate" query A changed',
          '        - sum(rate(http_requests_total[5m]))',
          '        + sum by (code) (rate(http_requests_total[5m]))',
          '',
        ].join('\n'),
      );
      expect(
        execFileSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).trim().split('\n'),
      ).toHaveLength(1);
      await rm(out, { recursive: true, force: true });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
