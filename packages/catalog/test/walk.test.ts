import { describe, expect, it } from 'vitest';
import { type Node, walk } from '../src/index.ts';

const selector = (metric: string): Node => ({ type: 'selector', metric, matchers: [] });
const number = (value: number): Node => ({ type: 'number', value });

/** What a node is called in the order below: its metric, value, function, operator or type. */
function name(node: Node): string {
  switch (node.type) {
    case 'selector':
      return node.metric;
    case 'number':
      return String(node.value);
    case 'call':
      return node.func;
    case 'aggregate':
    case 'binary':
      return node.op;
    default:
      return node.type;
  }
}

describe('walk', () => {
  it('visits every kind of node depth first, parents before children, left to right', () => {
    // topk(5, rate(a[5m])) / -(max_over_time(b[1h:1m]) + clamp(c, 0, d)), d the escape hatch's raw PromQL.
    const tree: Node = {
      type: 'binary',
      op: '/',
      bool: false,
      lhs: {
        type: 'aggregate',
        op: 'topk',
        param: number(5),
        expr: {
          type: 'call',
          func: 'rate',
          args: [{ type: 'matrix', selector: { type: 'selector', metric: 'a', matchers: [] }, range: '5m' }],
        },
      },
      rhs: {
        type: 'unary',
        expr: {
          type: 'binary',
          op: '+',
          bool: false,
          lhs: {
            type: 'call',
            func: 'max_over_time',
            args: [{ type: 'subquery', expr: selector('b'), range: '1h', step: '1m' }],
          },
          rhs: {
            type: 'call',
            func: 'clamp',
            args: [selector('c'), number(0), { type: 'raw', promql: 'd' }],
          },
        },
      },
    };
    expect([...walk(tree)].map(name)).toEqual([
      '/',
      'topk',
      '5',
      'rate',
      'matrix',
      'a',
      'unary',
      '+',
      'max_over_time',
      'subquery',
      'b',
      'clamp',
      'c',
      '0',
      'raw',
    ]);
  });

  it('walks a tree deeper than the call stack', () => {
    // a + 1 + 1 + … as a generator adds it up: each `plus` is one level more.
    let tree = selector('a');
    for (let i = 0; i < 100_000; i++)
      tree = { type: 'binary', op: '+', bool: false, lhs: tree, rhs: number(1) };
    let count = 0;
    for (const _ of walk(tree)) count++;
    expect(count).toBe(200_001);
  });
});
