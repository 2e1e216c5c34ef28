import { stableStringify } from '@o11y/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { treeFromFiles } from '../src/built/tree.ts';
import { diffTrees } from '../src/diff/engine.ts';
import type { DiffReport, ItemDiff } from '../src/diff/model.ts';
import { promqlFormatter } from '../src/diff/promql.ts';
import { renderMarkdown, renderText } from '../src/diff/render.ts';

/** What a reviewer needs from a pull request's diff (issue 19, items 6 to 9). */
let formatQuery: (expr: string) => string;
beforeAll(async () => {
  formatQuery = await promqlFormatter();
});

const section = (report: DiffReport, name: string) => report.sections.find((s) => s.name === name)!.items;
const lines = (item: ItemDiff) =>
  item.changes.map(
    (c) =>
      `${c.kind} ${c.subject}${c.before === undefined ? '' : ` ${c.before}`}${c.after === undefined ? '' : ` → ${c.after}`}`,
  );

/** A dashboard with one panel per metric, one query per service in each (refIds by position). */
function servicesDashboard(services: readonly string[]) {
  const panels = ['requests', 'errors'].map((metric, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: `${metric} per service`,
    gridPos: { h: 8, w: 12, x: 12 * i, y: 0 },
    targets: services.map((service, j) => ({
      refId: String.fromCharCode(65 + j),
      expr: `sum(rate(${metric}_total{service="${service}"}[5m]))`,
      legendFormat: service,
    })),
  }));
  return treeFromFiles({
    'grafana/dashboards/overview.json': stableStringify({ uid: 'overview', title: 'Overview', panels }),
  });
}

describe('matching by identity, then content', () => {
  it('shows a service inserted in the middle of a list as its queries added, nothing else', () => {
    const before = servicesDashboard(['auth', 'cart', 'orders', 'search']);
    const after = servicesDashboard(['auth', 'billing', 'cart', 'orders', 'search']);
    const [item] = section(diffTrees(before, after, { formatQuery }), 'Dashboards');
    expect(lines(item!)).toEqual([
      'query-added panel "requests per service" query B → sum(rate(requests_total{service="billing"}[5m]))',
      'query-added panel "errors per service" query B → sum(rate(errors_total{service="billing"}[5m]))',
    ]);
  });

  it('pairs rules of the same name by their labels, so a new service adds only its rules', () => {
    const rules = (services: readonly string[]) =>
      treeFromFiles({
        'prometheus/rules/red.yml': stableStringify({
          groups: [
            {
              name: 'red',
              rules: services.map((service) => ({
                alert: 'HighErrorRate',
                expr: `job:errors:ratio5m{service="${service}"} > 0.01`,
                for: '5m',
                labels: { service, severity: 'critical' },
                annotations: { summary: `${service} fails`, runbook_url: `https://runbooks/${service}` },
              })),
            },
          ],
        }),
      });
    const items = section(
      diffTrees(rules(['auth', 'cart']), rules(['auth', 'billing', 'cart']), { formatQuery }),
      'Rules',
    );
    expect(items.map((i) => [i.title, i.status])).toEqual([
      ['red/HighErrorRate {service="billing", severity="critical"}', 'added'],
    ]);
    // An added rule says what a reviewer has to judge: expression, for, severity and labels, annotations.
    expect(lines(items[0]!)).toEqual([
      'expr alert expression → job:errors:ratio5m{service="billing"} > 0.01',
      'for for → 5m',
      'label label service → billing',
      'label label severity → critical',
      'annotation annotation runbook_url → https://runbooks/billing',
      'annotation annotation summary → billing fails',
    ]);
    expect(renderText(diffTrees(rules(['auth']), rules(['auth', 'billing']), { formatQuery }))).toContain(
      '      alert expression\n        + job:errors:ratio5m{service="billing"} > 0.01\n      for: 5m\n',
    );
  });

  it('lists the panels of a new dashboard', () => {
    const [item] = section(
      diffTrees(treeFromFiles({}), servicesDashboard(['auth']), { formatQuery }),
      'Dashboards',
    );
    expect(item!.status).toBe('added');
    expect(lines(item!)).toEqual([
      'panel-added panel "requests per service" → timeseries',
      'panel-added panel "errors per service" → timeseries',
    ]);
  });
});

describe('Alertmanager routes', () => {
  const config = (teams: string) =>
    treeFromFiles({
      'alertmanager/alertmanager.yml': stableStringify({
        route: {
          receiver: 'default',
          routes: [
            {
              receiver: 'commerce',
              matchers: [`team=~"${teams}"`],
              routes: [{ receiver: 'commerce-pager', matchers: ['severity="critical"'] }],
            },
            { receiver: 'platform', matchers: ['team="platform"'] },
          ],
        },
        receivers: [
          { name: 'default' },
          { name: 'commerce' },
          { name: 'commerce-pager' },
          { name: 'platform' },
        ],
      }),
    });

  it('shows a changed matcher as one change of that route, not its subtree removed and added', () => {
    const items = section(
      diffTrees(config('cart|orders'), config('billing|cart|orders'), { formatQuery }),
      'Alertmanager',
    );
    expect(items.map((i) => [i.title, i.status, lines(i)])).toEqual([
      [
        'route root > team=~"billing|cart|orders"',
        'changed',
        ['matchers matchers team=~"cart|orders" → team=~"billing|cart|orders"'],
      ],
    ]);
  });
});

describe('SLOs', () => {
  const slo = (objective: number) =>
    treeFromFiles({
      'slo/payments-availability.json': stableStringify({
        name: 'payments-availability',
        objective,
        window: '30d',
        windows: ['page 1h/5m ×14.4', 'ticket 1d/2h ×3'],
      }),
      'manifest.json': stableStringify({
        artifacts: [
          {
            path: 'slo/payments-availability.json',
            kind: 'slo',
            sha256: '',
            source: { file: 'rules/slos.ts', line: 3, column: 1 },
          },
        ],
      }),
    });

  it('shows a new SLO with its objective, window and burn-rate windows', () => {
    const [item] = section(diffTrees(treeFromFiles({}), slo(0.999), { formatQuery }), 'SLOs');
    expect(lines(item!)).toEqual([
      'objective objective → 0.999',
      'window window → 30d',
      'windows windows → page 1h/5m ×14.4, ticket 1d/2h ×3',
    ]);
  });
});

describe('Markdown for a pull-request comment', () => {
  const many = (n: number, query: string) =>
    treeFromFiles(
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `grafana/dashboards/d${String(i).padStart(3, '0')}.json`,
          stableStringify({
            uid: `d${String(i).padStart(3, '0')}`,
            title: `Dashboard ${i}`,
            panels: Array.from({ length: 8 }, (_, p) => ({
              id: p + 1,
              type: 'timeseries',
              title: `Panel ${p}`,
              gridPos: { h: 8, w: 12, x: 0, y: p * 8 },
              targets: [
                { refId: 'A', expr: `sum by (route) (rate(${query}{panel="${p}",dashboard="${i}"}[5m]))` },
              ],
            })),
          }),
        ]),
      ),
    );
  const report = () =>
    diffTrees(many(120, 'http_requests_total'), many(120, 'http_server_requests_total'), { formatQuery });

  it('leads with the summary and fits the limit, saying what it left out and where the rest is', () => {
    const full = renderMarkdown(report(), { maxChars: 0 });
    expect(full.length).toBeGreaterThan(65_536);
    const cut = renderMarkdown(report(), { fullReport: 'https://ci.example/runs/7#artifacts' });
    expect(cut.length).toBeLessThanOrEqual(65_536);
    expect(cut.indexOf('| Dashboards | 0 | 0 | 120 |')).toBeGreaterThan(0);
    expect(cut).toMatch(
      /> \*\*Shortened to fit a pull-request comment:\*\* \d+ item\(s\) without their details, \d+ item\(s\) left out\. The full report: https:\/\/ci\.example\/runs\/7#artifacts/,
    );
    expect(cut.indexOf('Shortened')).toBeLessThan(cut.indexOf('<details>'));
    // What is shown is whole: every <details> is closed.
    expect(cut.split('<details>').length).toBe(cut.split('</details>').length);
  });

  it('leaves a comment that fits alone', () => {
    const small = renderMarkdown(diffTrees(many(2, 'a'), many(2, 'b'), { formatQuery }));
    expect(small).not.toContain('Shortened');
    expect(small.split('<details>')).toHaveLength(3);
  });
});
