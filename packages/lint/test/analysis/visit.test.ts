import { init, parse, walk } from '@o11y/promql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/analysis/ast.ts';
import { nodesOf } from '../../src/analysis/visit.ts';
import { type Expression, LintProject } from '../../src/project.ts';
import { testCatalog } from '../catalog.ts';

const TEXTS = [
  'sum by (job) (rate(a[5m])) / on (job) group_left sum by (job) (rate(b[5m] offset 1m))',
  'abs(-(x + (y * (z - 1))))',
  'histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m]))) > 1 and on () vector(1)',
  'c',
  'max_over_time((d / e)[1h:5m]) or f',
];
const TYPES = [
  'VectorSelector',
  'MatrixSelector',
  'Binary',
  'Call',
  'Aggregate',
  'Number',
  'Paren',
  'Unary',
] as const;

let project: LintProject;
let expressions: Expression[];

beforeAll(async () => {
  await init();
  project = new LintProject({ ruleGroups: [], dashboards: [], scrapeJobs: [] }, testCatalog);
  expressions = TEXTS.map((text) => ({
    target: { kind: 'query' } as Expression['target'],
    text,
    parsed: parse(text),
  }));
});

describe('nodesOf', () => {
  it('gives each found node the ancestors the walk passed it, outermost first', () => {
    // A visit finds its ancestors again when they are read: every kind of node, at every depth,
    // after siblings at other depths, must read the list the walk itself passed.
    for (const type of TYPES) {
      const expected: { node: Node; ancestors: Node[] }[] = [];
      for (const { parsed } of expressions)
        if (parsed.ok)
          walk(parsed.expr, (node, ancestors) => {
            if (node.type === type) expected.push({ node, ancestors: [...ancestors] });
          });
      const visits = nodesOf(project, type, expressions);
      expect(visits.length, type).toBe(expected.length);
      expect(expected.length, type).toBeGreaterThan(0);
      for (const [i, visit] of visits.entries()) {
        expect(visit.node).toBe(expected[i]!.node);
        expect(visit.ancestors.length, `${type} #${i}`).toBe(expected[i]!.ancestors.length);
        for (const [depth, ancestor] of visit.ancestors.entries())
          expect(ancestor).toBe(expected[i]!.ancestors[depth]);
      }
    }
  });
});
