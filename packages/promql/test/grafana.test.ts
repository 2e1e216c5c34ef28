import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DashboardParseResult,
  dashboardQueryProblems,
  init,
  type Node,
  parseDashboardQueries,
  parseDashboardQuery,
  selectors,
  walk,
} from '../src/index.ts';

function treeOf(result: DashboardParseResult): Node {
  if (!result.ok) throw new Error(`expected a tree: ${JSON.stringify(result.errors)}`);
  return result.expr;
}

function find(root: Node, type: Node['type']): Node {
  let found: Node | undefined;
  walk(root, (node) => {
    found ??= node.type === type ? node : undefined;
  });
  if (!found) throw new Error(`no ${type}`);
  return found;
}

describe('parseDashboardQuery', () => {
  beforeAll(() => init());

  it('parses a panel query with variables, keeping the original positions', () => {
    const query = `sum by (service) (rate(http_requests_total{env="$env", service=~"\${service:regex}"}[$__rate_interval]))`;
    const result = parseDashboardQuery(query, { env: 'prod', service: ['api', 'users'] });
    const matrix = find(treeOf(result), 'MatrixSelector');
    expect(matrix).toMatchObject({
      type: 'MatrixSelector',
      rangeVariable: '__rate_interval',
      end: query.length - 2,
    });
    expect(result.unknownVariables).toEqual([]);
    expect(result.parsedText).toHaveLength(query.length);
    expect(
      result.variables.map((use) => [use.name, use.kind, use.format, query.slice(use.start, use.end)]),
    ).toEqual([
      ['env', 'string', undefined, '$env'],
      ['service', 'string', 'regex', `\${service:regex}`],
      ['__rate_interval', 'duration', undefined, '$__rate_interval'],
    ]);
  });

  it('recognises built-in durations in ranges, steps, offsets and numbers', () => {
    const subquery = find(
      treeOf(parseDashboardQuery('max_over_time(rate(x[$__interval])[$__range:$__interval])')),
      'Subquery',
    );
    expect(subquery).toMatchObject({ rangeVariable: '__range', stepVariable: '__interval' });
    expect(find(subquery, 'MatrixSelector')).toMatchObject({ rangeVariable: '__interval' });

    expect(treeOf(parseDashboardQuery('x offset $__range'))).toMatchObject({ offsetVariable: '__range' });
    expect(treeOf(parseDashboardQuery(`x[5m] offset \${__range}`))).toMatchObject({
      offsetVariable: '__range',
    });
    const ratio = treeOf(parseDashboardQuery(`increase(x[$__range]) / \${__range_s}`));
    expect(ratio).toMatchObject({ rhs: { type: 'Number', variable: '__range_s' } });
    // A literal range is not mistaken for a variable.
    expect(find(treeOf(parseDashboardQuery('rate(x[5m])')), 'MatrixSelector')).not.toHaveProperty(
      'rangeVariable',
    );
  });

  it('reports unknown variables and accepts names as a list', () => {
    const result = parseDashboardQuery(
      'rate(x{job="$job", instance=~"[[instance]]"}[$__interval]) > $limit',
      ['instance'],
    );
    expect(result.ok).toBe(true);
    expect(result.unknownVariables).toEqual(['job', 'limit']);
    expect(result.variables.find((use) => use.name === 'limit')).toMatchObject({
      kind: 'number',
      known: false,
    });
  });

  it('chooses label-name or number placeholders from context and declared values', () => {
    const grouped = treeOf(
      parseDashboardQuery('sum by ($group) (up) > $threshold', { group: 'job', threshold: '0.5' }),
    );
    expect(grouped).toMatchObject({
      lhs: { type: 'Aggregate', grouping: ['xxxxxx'] },
      rhs: { variable: 'threshold' },
    });
    const metric = treeOf(parseDashboardQuery(`\${metric}_total{job="a"}`, ['metric']));
    expect(selectors(metric).map((selector) => selector.name)).toEqual(['xxxxxxxxx_total']);
  });

  it('leaves regex group references in strings alone', () => {
    const result = parseDashboardQuery('label_replace(up, "dst", "$1", "src", "(.*)")');
    expect(result.variables).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reports errors at the original positions, quoting the variable as written', () => {
    const query = 'rate(x[$__rate_interval]';
    expect(parseDashboardQuery(query)).toMatchObject({
      ok: false,
      errors: [{ message: 'unclosed left parenthesis', start: query.length }],
    });
    const quoted = parseDashboardQuery('sum(x) $group', ['group']);
    expect(quoted).toMatchObject({
      ok: false,
      errors: [{ message: 'unexpected identifier "$group"', start: 7 }],
    });
  });
});

/** Queries of every kind the batch functions handle: variables, shared texts, ambiguous readings, errors. */
const BATCH = [
  {
    query: `sum by (service) (rate(http_requests_total{env="$env"}[$__rate_interval]))`,
    variables: { env: 'prod' },
  },
  { query: 'max_over_time(rate(x[$__interval])[$__range:$__interval])' },
  {
    query: 'rate(x{job="$job", instance=~"[[instance]]"}[$__interval]) > $limit',
    variables: ['instance'],
  },
  // The same text once the variables are replaced; each query's tree names its own variable.
  { query: 'x > $aa' },
  { query: 'x > $bb' },
  { query: 'x > $aa' },
  // The first reading (a label name) fails, the second (a number) parses.
  { query: 'topk($k, up)' },
  { query: 'sum(x) $group', variables: ['group'] },
  { query: 'rate(x[$__rate_interval]' },
  // Undeclared variables in a query that parses and in one that does not.
  { query: 'up{job="$job"} * $factor', variables: ['factor'] },
  { query: 'up{job="$job"} +', variables: [] },
];

describe('parseDashboardQueries', () => {
  beforeAll(() => init());

  it('gives what parseDashboardQuery gives for each query, in order, from one native parse', async () => {
    const queries = BATCH;
    const batch = await parseDashboardQueries(queries);
    expect(batch).toEqual(queries.map(({ query, variables }) => parseDashboardQuery(query, variables)));
    expect(batch.map((result) => result.ok)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect(
      [3, 4, 5].map((index) => (treeOf(batch[index]!) as { rhs: { variable?: string } }).rhs.variable),
    ).toEqual(['aa', 'bb', 'aa']);
    expect(treeOf(batch[6]!)).toMatchObject({ param: { type: 'Number', variable: 'k' } });
  });
});

describe('dashboardQueryProblems', () => {
  beforeAll(() => init());

  it('reports the errors and unknown variables parseDashboardQuery reports, for each query in order', async () => {
    const problems = await dashboardQueryProblems(BATCH);
    expect(problems).toEqual(
      BATCH.map(({ query, variables }) => {
        const parsed = parseDashboardQuery(query, variables);
        return parsed.ok
          ? { ok: true, unknownVariables: parsed.unknownVariables }
          : { ok: false, errors: parsed.errors, unknownVariables: parsed.unknownVariables };
      }),
    );
    expect(problems.map((p) => p.unknownVariables)).toContainEqual(['job']);
  });
});
