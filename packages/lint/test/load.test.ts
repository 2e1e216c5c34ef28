import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLogql } from '@o11y/logql';
import { describe, expect, it } from 'vitest';
import { loadFiles, loadText, namesMetricSelector } from '../src/load/files.ts';

describe('loading plain files', () => {
  it('reads rule groups with file:line, and maps expression offsets in literal blocks', () => {
    const text = [
      'groups:',
      '  - name: api',
      '    interval: 30s',
      '    rules:',
      '      - alert: HighErrors',
      '        expr: |',
      '          sum(rate(errors_total[5m]))',
      '            > 1',
      '        for: 5m',
      '        labels: {severity: critical}',
      '',
    ].join('\n');
    const loaded = loadText('rules/api.yml', text);
    expect(loaded.problems).toEqual([]);
    const [group] = loaded.groups;
    expect(group).toMatchObject({
      name: 'api',
      interval: '30s',
      file: 'rules/api.yml',
      source: { line: 2, column: 5 },
    });
    const rule = group!.rules[0]!;
    expect(rule).toMatchObject({
      kind: 'alert',
      name: 'HighErrors',
      for: '5m',
      labels: { severity: 'critical' },
    });
    expect(rule.source).toEqual({ file: 'rules/api.yml', line: 5, column: 9 });
    const origin = loaded.origins.get(rule)!;
    // `>` on the second line of the block, indented two more than the block.
    expect(origin(rule.expr.indexOf('>'))).toEqual({ file: 'rules/api.yml', line: 8, column: 13 });
    expect(origin(0)).toEqual({ file: 'rules/api.yml', line: 7, column: 11 });
  });

  it('reads PrometheusRule resources and reports broken input without throwing', () => {
    const resource =
      'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: g\n      rules:\n        - record: a:b:c\n          expr: up\n';
    expect(loadText('k8s.yaml', resource).groups.map((g) => g.name)).toEqual(['g']);
    expect(loadText('bad.yml', 'groups: [\n').problems[0]).toMatchObject({
      id: 'lint/file',
      source: { file: 'bad.yml' },
    });
    // A rule without a name is promtool's to report (rules/promtool-check); the loader skips it.
    expect(
      loadText('x.yml', 'groups:\n  - name: g\n    rules:\n      - expr: up\n').groups[0]!.rules,
    ).toEqual([]);
    expect(loadText('x.yml', 'hello: world\n').problems.map((p) => p.message)).toEqual([
      'nothing to lint: not a rule file, a PrometheusRule, a Grafana dashboard (JSON, resource or ConfigMap) or an Alertmanager configuration',
    ]);
  });

  it('reads dashboards with collapsed rows, units, thresholds, variables, and JSON string positions', () => {
    const json = JSON.stringify(
      {
        dashboard: {
          uid: 'api',
          title: 'API',
          templating: { list: [{ name: 'job', type: 'query', query: { query: 'label_values(up, job)' } }] },
          panels: [
            {
              type: 'row',
              id: 9,
              collapsed: true,
              panels: [
                {
                  id: 2,
                  type: 'stat',
                  title: 'Errors',
                  fieldConfig: {
                    defaults: {
                      unit: 'percentunit',
                      thresholds: { steps: [{ value: null }, { value: 0.05 }] },
                    },
                  },
                  targets: [{ refId: 'A', expr: 'sum(up{job="$job"})', legendFormat: '{{job}}' }],
                },
              ],
            },
          ],
        },
      },
      null,
      2,
    );
    const loaded = loadText('api.json', json);
    const board = loaded.dashboards[0]!;
    expect(board.variables).toEqual([{ name: 'job', type: 'query', query: 'label_values(up, job)' }]);
    expect(board.panels).toHaveLength(1);
    const panel = board.panels[0]!;
    expect(panel).toMatchObject({
      id: 2,
      type: 'stat',
      title: 'Errors',
      unit: 'percentunit',
      thresholds: [0.05],
    });
    const query = panel.queries[0]!;
    const line = json.split('\n').findIndex((l) => l.includes('"expr"')) + 1;
    const column = json.split('\n')[line - 1]!.indexOf('$job') + 1;
    // `"sum(up{job=\"$job\"})"`: the escaped quote before $job is two characters in the file.
    expect(loaded.origins.get(query)!(query.expr.indexOf('$job'))).toEqual({
      file: 'api.json',
      line,
      column,
    });
  });

  it('expands folders, sorted, and reports missing paths', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'o11y-lint-load-'));
    try {
      await writeFile(path.join(dir, 'b.yml'), 'groups:\n  - name: b\n    rules: []\n');
      await writeFile(path.join(dir, 'a.yaml'), 'groups:\n  - name: a\n    rules: []\n');
      await writeFile(path.join(dir, 'notes.txt'), 'ignored');
      const loaded = await loadFiles([dir, path.join(dir, 'missing.yml')], dir);
      expect(loaded.model.ruleGroups.map((g) => [g.name, g.file])).toEqual([
        ['a', 'a.yaml'],
        ['b', 'b.yml'],
      ]);
      expect(loaded.problems.map((p) => p.message)).toEqual([
        `cannot read ${path.join(dir, 'missing.yml')}: ENOENT`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('telling Prometheus rule files from Loki ruler files', () => {
  it('takes an expression naming a metric before its selector for PromQL, which LogQL cannot read', () => {
    const promql = [
      'up{job="api"} == 0',
      'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))',
      'a:b:rate5m{x="y"} > 1',
      'absent(up{job="x"})',
    ];
    for (const expr of promql) {
      expect(namesMetricSelector(expr)).toBe(true);
      expect(parseLogql(expr).ok).toBe(false);
    }
  });

  it('leaves every other expression to LogQL’s grammar: stream selectors, and braces inside strings', () => {
    const logql = [
      '{service="invoices"}',
      'sum by (service) (count_over_time({service="payments"} |= "error" [5m])) > 10',
      'sum by (job) (rate({job=~".*"}[1m]))',
      'sum by (service) (rate({job="api"} |= `timeout{x}` [5m]))',
      'sum(rate({app="x"} | json | line_format "{{.message}}" [5m]))',
      'count_over_time({app="x"} | label_format a="b{{.c}}" [1m])',
    ];
    for (const expr of logql) {
      expect(namesMetricSelector(expr)).toBe(false);
      expect(parseLogql(expr).ok).toBe(true);
    }
    // Expressions without a metric name before a brace are not decided by it either.
    expect(namesMetricSelector('vector(1)')).toBe(false);
    expect(namesMetricSelector('label_replace(x, "a", "{b}", "c", "d")')).toBe(false);
    expect(namesMetricSelector('up {job="x"}')).toBe(false);
  });
});

describe('rule files read through Prometheus’s YAML trees', () => {
  it('load exactly as through yaml’s parser: groups, rules, positions and problems', async () => {
    const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
    const files = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => file.split(path.sep).join('/'));
    expect(files.length).toBeGreaterThan(20);
    const read = await loadFiles(files, fixtures);
    const parsed = files.map((file) => loadText(file, readFileSync(path.join(fixtures, file), 'utf8')));
    const view = (
      loaded: Pick<typeof read, 'origins' | 'problems'> & { groups: typeof read.model.ruleGroups },
    ) => ({
      groups: loaded.groups,
      problems: loaded.problems,
      // Where every character of every expression is in its file.
      origins: loaded.groups.flatMap((group) =>
        group.rules.map((rule) =>
          Array.from({ length: rule.expr.length + 1 }, (_, offset) => loaded.origins.get(rule)?.(offset)),
        ),
      ),
    });
    expect(view({ ...read, groups: read.model.ruleGroups })).toEqual(
      view({
        groups: parsed.flatMap((loaded) => loaded.groups),
        problems: parsed.flatMap((loaded) => loaded.problems),
        origins: new Map(parsed.flatMap((loaded) => [...loaded.origins])),
      }),
    );
  });
});
