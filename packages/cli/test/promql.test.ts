import type { Aggregate, Call, MatrixSelector, ValueType } from '@o11y/promql';
import { describe, expect, it } from 'vitest';
import { o11y } from './helpers.ts';

describe('o11y promql', () => {
  it('parse prints the syntax tree as JSON, with positions in the expression and durations in ms', () => {
    const expr = 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))';
    const result = o11y(['promql', 'parse', expr]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    const { type, expr: tree } = JSON.parse(result.stdout) as { type: ValueType; expr: Aggregate };
    expect(type).toBe('vector');
    expect(tree).toMatchObject({ type: 'Aggregate', op: 'sum', grouping: ['job'], without: false });
    expect([tree.start, tree.end]).toEqual([0, expr.length]);
    const call = tree.expr as Call;
    expect(call).toMatchObject({ type: 'Call', func: 'rate', valueType: 'vector' });
    const range = call.args[0] as MatrixSelector;
    expect(range).toMatchObject({ type: 'MatrixSelector', range: 300_000, valueType: 'matrix' });
    expect(expr.slice(range.start, range.end)).toBe('http_requests_total{code=~"5.."}[5m]');
    expect(range.selector.matchers).toEqual([
      { name: 'code', op: '=~', value: '5..' },
      { name: '__name__', op: '=', value: 'http_requests_total' },
    ]);
  }, 60_000);

  it('fmt prints the expression as Prometheus prettifies it', () => {
    const result = o11y([
      'promql',
      'fmt',
      'sum by (job) (rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job="api"}[5m]))',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        '  sum by (job) (rate(http_requests_total{code=~"5..",job="api"}[5m]))',
        '/',
        '  sum by (job) (rate(http_requests_total{job="api"}[5m]))',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it.each([
    {
      name: 'a regex error spanning the quoted regex',
      args: ['fmt', 'sum(rate(x[5m])) + on(job) foo{a=~"("}'],
      stderr: [
        'error at 1:32: error parsing regexp: missing closing ): `(`',
        '  sum(rate(x[5m])) + on(job) foo{a=~"("}',
        `  ${' '.repeat(31)}^^^^^^`,
      ],
    },
    {
      // The column counts UTF-16 code units and the caret line keeps the tab, so ^ stands under `)`.
      name: 'on line 2, after a tab and a non-ASCII character',
      args: ['parse', 'sum(\n\trate(foo{a="é"}[5m] offset -)\n)'],
      stderr: [
        'error at 2:30: unexpected ")" in offset, expected number, duration, step(), or range()',
        '  \trate(foo{a="é"}[5m] offset -)',
        `  \t${' '.repeat(28)}^`,
      ],
    },
  ])(
    'exits 1 on invalid PromQL with line:column and a caret under the error span: $name',
    ({ args, stderr }) => {
      const result = o11y(['promql', ...args]);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`${stderr.join('\n')}\n`);
    },
    60_000,
  );

  it('exits 2 on a usage error', () => {
    const unknown = o11y(['promql', 'lint', 'up']);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('o11y promql: expected `parse` or `fmt`');
    expect(unknown.stderr).toContain('Usage: o11y promql parse [options] <expr>');

    const missing = o11y(['promql', 'parse']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('o11y promql parse needs an expression');
  }, 60_000);
});
