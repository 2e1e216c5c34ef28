import type { ProjectModel } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { rawExpression } from '../../../src/checks/promql/raw-expression.ts';
import { lint } from '../../../src/lint.ts';
import { modelOf, records } from '../../helpers.ts';

/** The rules of a plain file as a builder package would hand them over, some marked as raw. */
function definitions(raw: boolean): ProjectModel {
  const { model } = modelOf(records({ 'job:up:sum': 'sum by (job) (up)' }));
  const ruleGroups = model.ruleGroups.map((group) => ({
    ...group,
    rules: group.rules.map((rule) => ({ ...rule, raw })),
  }));
  return { ...model, ruleGroups };
}

describe('promql/raw-expression', () => {
  it('reports expressions written through the escape hatch', async () => {
    const { findings } = await lint(definitions(true), { checks: [rawExpression] });
    expect(findings.map((f) => [f.id, f.subject])).toEqual([
      ['promql/raw-expression', 'recording rule job:up:sum (group test)'],
    ]);
  });

  it('accepts typed expressions and plain files', async () => {
    expect((await lint(definitions(false), { checks: [rawExpression] })).findings).toEqual([]);
    expect(
      (await lint(modelOf(records({ 'job:up:sum': 'sum(up)' })).model, { checks: [rawExpression] })).findings,
    ).toEqual([]);
  });
});
