import { describe, expect, it } from 'vitest';
import { syntax } from '../../../src/checks/promql/syntax.ts';
import { queries, records, run } from '../../helpers.ts';

describe('promql/syntax', () => {
  it('reports every parser error with its position, mapped to the file line and column', async () => {
    const findings = await run(syntax, records({ 'job:x:rate5m': 'sum(rate(http_requests_total[5m])' }));
    expect(findings.map((f) => [f.message, f.expression?.span, f.source])).toEqual([
      // `        expr: "sum(…` — the value's first character is at column 16 of line 5.
      [
        'no arguments for aggregate expression provided',
        { start: 0, end: 33 },
        { file: 'rules.yml', line: 5, column: 16 },
      ],
      ['unclosed left parenthesis', { start: 33, end: 34 }, { file: 'rules.yml', line: 5, column: 49 }],
    ]);
  });

  it('reports type errors such as rate of an instant vector', async () => {
    const findings = await run(syntax, records({ 'job:x:rate5m': 'rate(sum(http_requests_total))' }));
    expect(findings.map((f) => f.message)).toEqual([
      'expected type range vector in call to function "rate", got instant vector',
    ]);
  });

  it('accepts valid rules and dashboard queries with Grafana variables', async () => {
    expect(
      await run(syntax, records({ 'job:x:rate5m': 'sum by (job) (rate(http_requests_total[5m]))' })),
    ).toEqual([]);
    expect(
      await run(syntax, queries('sum(rate(http_requests_total{job="$job"}[$__rate_interval]))')),
    ).toEqual([]);
  });
});
