import { describe, expect, it } from 'vitest';
import {
  caretLines,
  isMetricQuery,
  keptLabels,
  lineFilterChains,
  parseLogql,
  rangeAggregations,
} from '../src/index.ts';

describe('lineFilterChains', () => {
  it('lists the line filters of a pipeline in order, with `or` alternatives, across parser stages', () => {
    const query = '{app="x"} |= "error" or `fatal` | json != "debug" |~ "a.+"';
    expect(lineFilterChains(query)).toEqual([
      [
        { operator: '|=', values: ['error', 'fatal'], start: 10, end: 31 },
        { operator: '!=', values: ['debug'], start: 39, end: 49 },
        { operator: '|~', values: ['a.+'], start: 50, end: 58 },
      ],
    ]);
  });

  it('starts a new chain where line_format rewrites the line, and keeps each query pipeline apart', () => {
    const chains = lineFilterChains(
      'sum(rate({a="b"} |= "x" | line_format "{{.y}}" != "x" [5m])) / sum(rate({a="c"} !~ "z" [5m]))',
    );
    expect(chains.map((chain) => chain.map((f) => `${f.operator}${f.values.join('|')}`))).toEqual([
      ['|=x'],
      ['!=x'],
      ['!~z'],
    ]);
  });
});

describe('rangeAggregations', () => {
  it('gives each range aggregation with its range as written and where the brackets are', () => {
    const query = 'sum(count_over_time({a="b"} |= "x" [30s])) / sum(rate({a="b"}[$__auto] offset 1h))';
    expect(rangeAggregations(query)).toEqual([
      { operation: 'count_over_time', range: '30s', rangeSpan: { start: 35, end: 40 }, start: 4, end: 41 },
      { operation: 'rate', range: '$__auto', rangeSpan: { start: 61, end: 70 }, start: 49, end: 81 },
    ]);
  });
});

describe('keptLabels', () => {
  it.each([
    ['sum by (service, environment) (count_over_time({a="b"}[5m])) > 10', ['service', 'environment']],
    ['(sum(rate({a="b"}[5m])))', []],
    ['10 < sum by (x) (rate({a="b"}[5m]))', ['x']],
    ['sum_over_time({a="b"} | unwrap d [5m]) by (x)', ['x']],
  ])('%s keeps %j', (query, labels) => {
    expect(keptLabels(query)).toEqual(labels);
  });

  it.each(['sum without (a) (rate({a="b"}[5m]))', 'rate({a="b"} | json [5m])', '{a="b"} |= "x"'])(
    'does not know what %s keeps',
    (query) => {
      expect(keptLabels(query)).toBeUndefined();
    },
  );
});

describe('caretLines', () => {
  it('puts the caret under the mistake on the line it is on', () => {
    const query = 'sum(rate({app="x"}\n  |= [5m]))';
    const result = parseLogql(query);
    expect(!result.ok && caretLines(query, result.errors[0]!)).toBe('      |= [5m]))\n         ^^^^^^');
  });
});

describe('isMetricQuery', () => {
  it('tells metric queries from log queries', () => {
    expect(isMetricQuery('sum(rate({a="b"}[5m])) > 1')).toBe(true);
    expect(isMetricQuery('(count_over_time({a="b"}[5m]))')).toBe(true);
    expect(isMetricQuery('{a="b"} |= "x"')).toBe(false);
  });
});
