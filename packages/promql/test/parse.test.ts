import { beforeAll, describe, expect, it } from 'vitest';
import {
  aggregations,
  functionsUsed,
  init,
  type Node,
  type ParseResult,
  PromQLParseError,
  parse,
  parseAll,
  parseErrors,
  prettify,
  selectors,
  walk,
} from '../src/index.ts';

function tree(expr: string, options?: Parameters<typeof parse>[1]): Node {
  const result = parse(expr, options);
  if (!result.ok) throw new Error(`expected ${expr} to parse: ${JSON.stringify(result.errors)}`);
  return result.expr;
}

function errors(result: ParseResult) {
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('parse', () => {
  beforeAll(() => init());

  it('initialises once however often init is called', async () => {
    expect(init()).toBe(init());
    await Promise.all([init(), init()]);
  });

  it('builds an aggregation over a rate of a range selector with offset', () => {
    const result = parse('sum by (job) (rate(x{a=~"b"}[5m] offset 1h))');
    expect(result).toEqual({
      ok: true,
      type: 'vector',
      expr: {
        type: 'Aggregate',
        start: 0,
        end: 44,
        valueType: 'vector',
        op: 'sum',
        grouping: ['job'],
        without: false,
        expr: {
          type: 'Call',
          start: 14,
          end: 43,
          valueType: 'vector',
          func: 'rate',
          args: [
            {
              type: 'MatrixSelector',
              start: 19,
              end: 42,
              valueType: 'matrix',
              range: 300_000,
              selector: {
                type: 'VectorSelector',
                start: 19,
                end: 28,
                valueType: 'vector',
                name: 'x',
                matchers: [
                  { name: 'a', op: '=~', value: 'b' },
                  { name: '__name__', op: '=', value: 'x' },
                ],
                offset: 3_600_000,
              },
            },
          ],
        },
      },
    });
  });

  it('keeps vector matching, group modifiers and bool', () => {
    const expr = tree('a > bool on (job) group_left (team) b');
    expect(expr).toMatchObject({
      type: 'Binary',
      op: '>',
      bool: true,
      matching: { cardinality: 'many-to-one', on: true, labels: ['job'], include: ['team'] },
    });
    expect(tree('a and b')).toMatchObject({ matching: { cardinality: 'many-to-many', on: false } });
    expect(tree('1 + 2')).not.toHaveProperty('matching');
  });

  it('gives subqueries their range, step, offset and @ in milliseconds', () => {
    expect(tree('x[30m:1m] offset -5m @ 1609746000')).toMatchObject({
      type: 'Subquery',
      range: 1_800_000,
      step: 60_000,
      offset: -300_000,
      at: 1_609_746_000_000,
    });
    expect(tree('x[1h:] @ end()')).not.toHaveProperty('step');
    expect(tree('x[1h:] @ end()')).toMatchObject({ at: 'end' });
  });

  it('gives aggregation parameters, strings, unary and parens', () => {
    expect(tree('count_values("v", x)')).toMatchObject({
      param: { type: 'String', value: 'v', start: 13, end: 16 },
    });
    expect(tree('-(1)')).toMatchObject({
      type: 'Unary',
      op: '-',
      valueType: 'scalar',
      expr: { type: 'Paren', expr: { type: 'Number', value: 1 } },
    });
  });

  it('turns Inf and NaN back into numbers', () => {
    const expr = tree('Inf - -Inf + NaN');
    const values: number[] = [];
    walk(expr, (node) => {
      if (node.type === 'Number') values.push(node.value);
    });
    expect(values).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]);
    const fill = tree('a + fill(NaN) b', { binopFillModifiers: true });
    expect(fill.type === 'Binary' && fill.matching?.fill).toEqual({ lhs: Number.NaN, rhs: Number.NaN });
  });

  it('represents duration expressions', () => {
    expect(tree('foo[max_of(5m, step())] offset -(1m)')).toMatchObject({
      type: 'MatrixSelector',
      rangeExpr: {
        type: 'DurationCall',
        func: 'max_of',
        args: [
          { type: 'Number', value: 300, duration: true },
          { type: 'DurationCall', func: 'step', args: [] },
        ],
      },
      selector: { offsetExpr: { type: 'DurationUnary', op: '-', start: 31, end: 35 } },
    });
    expect(tree('x[5m * 2]')).toMatchObject({
      rangeExpr: { type: 'DurationBinary', op: '*', wrapped: false },
    });
  });

  it('counts positions in UTF-16 code units, as JavaScript indexes strings', () => {
    const source = '{a="😀ä"} + bar';
    const expr = tree(source);
    expect(expr.type === 'Binary' && expr.rhs).toMatchObject({
      start: source.indexOf('bar'),
      end: source.length,
    });
    const [error] = errors(parse('{a="😀"} + 1 +'));
    expect(error).toMatchObject({ start: 14, end: 14, line: 1, column: 15 });
  });

  it('reports syntax errors with upstream messages and positions', () => {
    expect(errors(parse('rate(foo[5m]'))).toEqual([
      { message: 'unclosed left parenthesis', start: 12, end: 12, line: 1, column: 13 },
    ]);
    expect(errors(parse(''))).toEqual([
      { message: 'no expression found in input', start: 0, end: 0, line: 1, column: 1 },
    ]);
  });

  it('reports type errors, on the right line and column', () => {
    expect(errors(parse('rate(foo)'))).toEqual([
      {
        message: 'expected type range vector in call to function "rate", got instant vector',
        start: 5,
        end: 8,
        line: 1,
        column: 6,
      },
    ]);
    expect(errors(parse('sum(\n  foo\n) + on(job) "x"'))[0]).toMatchObject({
      start: 23,
      line: 3,
      column: 13,
    });
  });

  it('gates experimental syntax behind the parser options, defaulting to Prometheus defaults', () => {
    expect(errors(parse('sort_by_label(up, "job")'))[0]!.message).toBe(
      'function "sort_by_label" is not enabled',
    );
    expect(parse('sort_by_label(up, "job")', { experimentalFunctions: true }).ok).toBe(true);
    expect(parse('foo[5m] anchored').ok).toBe(false);
    expect(tree('foo[5m] anchored', { extendedRangeSelectors: true })).toMatchObject({
      selector: { anchored: true },
    });
    expect(parse('foo[5m + step()]').ok).toBe(true);
    expect(errors(parse('foo[5m + step()]', { durationExpressions: false }))[0]!.message).toBe(
      'experimental duration expression is not enabled',
    );
  });

  it('never throws, whatever the input', () => {
    for (const input of [
      '\ud800',
      '\u0000',
      '"\\xff"',
      `${'('.repeat(5000)}1`,
      'x'.repeat(200_000),
      '{a="\ud83d"}',
    ]) {
      const result = parse(input);
      expect(result.ok ? result.expr.end : result.errors[0]!.end).toBeLessThanOrEqual(input.length);
    }
    expect(tree('{a="\\xff"}')).toMatchObject({ matchers: [{ value: '\ufffd' }] });
  });

  it('answers right as inputs grow and shrink (the input buffer is reused, the memory grows)', () => {
    const short = 'sum by (job) (rate(x{a="é"}[5m]))';
    const expected = parse(short);
    const value = 'ü'.repeat(1_500_000); // 3 MB of UTF-8 in, more JSON out: new buffers, larger memory
    expect(tree(`{a="${value}"}`)).toMatchObject({ matchers: [{ name: 'a', value }] });
    expect(parse(short)).toEqual(expected);
    expect(tree('up')).toMatchObject({ type: 'VectorSelector', name: 'up', start: 0, end: 2 });
  });
});

describe('parseAll', () => {
  beforeAll(() => init());

  it("gives parse()'s result for every expression, in order, with the same features", async () => {
    const exprs = [
      'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / on (job) group_left () up',
      'x > Inf or y < -Inf or z != NaN',
      'sum(rate(x[5m]) by (job)',
      '',
      '\ud800',
      '{a="\xff"}',
      'limitk(1, x)',
      `{a="${'ü'.repeat(100_000)}"}`,
      'sum(rate(x[5m]) by (job)',
    ];
    for (const options of [undefined, { experimentalFunctions: true }]) {
      const all = await parseAll(exprs, options);
      expect(all).toEqual(exprs.map((expr) => parse(expr, options)));
      expect(all.filter((result) => result.ok)).toHaveLength(options ? 5 : 4);
    }
    expect(await parseAll([])).toEqual([]);
  });

  it("parseErrors gives parse()'s errors of what does not parse, and nothing for what does", async () => {
    const exprs = ['up', 'sum(rate(x[5m]) by (job)', 'x > Inf', '', 'limitk(1, x)', '{a="ok"} offset 5m'];
    for (const options of [undefined, { experimentalFunctions: true }]) {
      expect(await parseErrors(exprs, options)).toEqual(
        exprs.map((expr) => {
          const result = parse(expr, options);
          return result.ok ? undefined : result.errors;
        }),
      );
    }
    expect(await parseErrors([])).toEqual([]);
  });
});

describe('prettify', () => {
  beforeAll(() => init());

  it('gives upstream’s prettified form', () => {
    expect(prettify('sum(rate(x[5m])) by (job)')).toBe('sum by (job) (rate(x[5m]))');
    expect(
      prettify(
        'sum by (job) (rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
      ),
    ).toBe(
      '  sum by (job) (rate(http_requests_total{code=~"5..",job="api"}[5m]))\n/\n  sum by (job) (rate(http_requests_total[5m]))',
    );
  });

  it('throws a PromQLParseError with the positioned errors for invalid input', () => {
    expect(() => prettify('rate(x[5m]')).toThrow('invalid PromQL at 1:11: unclosed left parenthesis');
    const thrown = (() => {
      try {
        return prettify('rate(x[5m]');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(PromQLParseError);
    expect((thrown as PromQLParseError).errors).toEqual([
      { message: 'unclosed left parenthesis', start: 10, end: 10, line: 1, column: 11 },
    ]);
  });
});

describe('helpers', () => {
  beforeAll(() => init());
  const query =
    'sum by (job) (rate(a{x="1"}[5m])) / on (job) topk(3, max by (job) (b offset 1h)) + count_over_time(c[1h:5m])';

  it('lists every selector with matchers and position', () => {
    const found = selectors(tree(query));
    expect(found.map((s) => [s.name, query.slice(s.start, s.end)])).toEqual([
      ['a', 'a{x="1"}'],
      ['b', 'b offset 1h'],
      ['c', 'c'],
    ]);
    expect(found[0]!.matchers).toContainEqual({ name: 'x', op: '=', value: '1' });
  });

  it('lists functions and aggregations', () => {
    const expr = tree(query);
    expect(functionsUsed(expr)).toEqual(['count_over_time', 'rate']);
    expect(functionsUsed(tree('time() - timestamp(up) + abs(vector(time()))'))).toEqual([
      'abs',
      'time',
      'timestamp',
      'vector',
    ]);
    expect(aggregations(expr).map((a) => `${a.op}:${a.grouping.join()}`)).toEqual([
      'sum:job',
      'topk:',
      'max:job',
    ]);
  });

  it('walks with ancestors and can skip a subtree', () => {
    const seen: string[] = [];
    walk(tree('sum(rate(a[5m])) + abs(b)'), (node, ancestors) => {
      seen.push(`${'.'.repeat(ancestors.length)}${node.type}`);
      return node.type !== 'Call';
    });
    expect(seen).toEqual(['Binary', '.Aggregate', '..Call', '.Call']);
  });

  it('visits the children of every kind of node in source order', () => {
    const seen: string[] = [];
    walk(
      tree('topk(3, -rate(a[5m] offset 1m)) or on() max_over_time((c)[1h:5m] offset 10m) > bool vector(1)'),
      (node, ancestors) => {
        const named = node.type === 'VectorSelector' ? `:${node.name}` : '';
        seen.push(`${'.'.repeat(ancestors.length)}${node.type}${named}`);
      },
    );
    expect(seen).toEqual([
      'Binary',
      '.Aggregate',
      '..Number',
      '..Unary',
      '...Call',
      '....MatrixSelector',
      '.....VectorSelector:a',
      '.Binary',
      '..Call',
      '...Subquery',
      '....Paren',
      '.....VectorSelector:c',
      '..Call',
      '...Number',
    ]);
  });
});

describe('platform-defined upstream behaviour', () => {
  beforeAll(() => init());

  it('accepts an @ timestamp whose milliseconds overflow int64, as upstream does', () => {
    // Upstream bounds-checks seconds, then converts to ms with an overflowing float-to-int64 cast.
    expect(tree('foo @ 9223372036854775')).toMatchObject({ at: 2 ** 63 });
  });
});
