import type { ProjectModel, RuleModel } from '@o11y/core';
import { setTypeScriptLoader } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { LINT_WORKER_EXPRESSIONS, lintsInWorker } from '../src/verify.ts';

const source = { file: 'rules/many.ts', line: 1, column: 1 };

function modelOf(rules: number, queries: number): ProjectModel {
  const rule: RuleModel = { kind: 'record', name: 'a:b:c', expr: 'up', labels: {}, annotations: {}, source };
  return {
    ruleGroups: [
      { name: 'many', file: 'dist/prometheus/rules/many.yml', rules: Array(rules).fill(rule), source },
    ],
    dashboards: [
      {
        uid: 'many',
        title: 'Many',
        variables: [],
        source,
        panels: [
          {
            id: 1,
            title: 'Many',
            type: 'timeseries',
            thresholds: [],
            source,
            queries: Array(queries).fill({ refId: 'A', expr: 'up', source }),
          },
        ],
      },
    ],
    scrapeJobs: [],
  };
}

describe('the lint worker by default', () => {
  it('lints in a worker from LINT_WORKER_EXPRESSIONS rules and queries on, only with a TypeScript loader', () => {
    const half = LINT_WORKER_EXPRESSIONS / 2;
    // vitest loads TypeScript itself and gives no loader: a worker could not read o11y.config.ts.
    expect(lintsInWorker(modelOf(half, half))).toBe(false);
    setTypeScriptLoader('file:///nowhere/loader.mjs');
    expect(lintsInWorker(modelOf(half, half))).toBe(true);
    expect(lintsInWorker(modelOf(half, half - 1))).toBe(false);
    expect(lintsInWorker(modelOf(LINT_WORKER_EXPRESSIONS, 0))).toBe(true);
  });
});
