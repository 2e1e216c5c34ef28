import { describe, expect, it } from 'vitest';
import { absent } from '../../../src/checks/promql/absent.ts';
import { alert, records, rules, run } from '../../helpers.ts';

describe('promql/absent', () => {
  it('reports absent of an aggregation, and absent recorded', async () => {
    const findings = await run(absent, {
      ...rules(alert('ApiDown', 'absent(sum(up{job="api"}))')),
    });
    expect(findings.map((f) => f.message)).toEqual([
      'absent() of a sum() aggregation: the result has no labels to tell what is missing',
    ]);
    const recorded = await run(absent, records({ 'job:up:absent': 'absent(up{job="api"})' }));
    expect(recorded.map((f) => f.message)).toEqual([
      'recording rule job:up:absent records absent(), which is 1 or nothing',
    ]);
  });

  it('accepts absent of a plain selector in an alert', async () => {
    expect(await run(absent, rules(alert('ApiDown', 'absent(up{job="api"})')))).toEqual([]);
    expect(await run(absent, rules(alert('ApiDown', 'absent_over_time(up{job="api"}[10m])')))).toEqual([]);
  });
});
