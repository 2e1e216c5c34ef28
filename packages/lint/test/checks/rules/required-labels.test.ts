import { describe, expect, it } from 'vitest';
import { requiredLabels } from '../../../src/checks/rules/required-labels.ts';
import { alert, rules, run } from '../../helpers.ts';

describe('rules/required-labels', () => {
  it('reports alerts without severity or team, and unknown severities', async () => {
    const findings = await run(
      requiredLabels,
      rules(
        alert('A', 'up == 0', { labels: {} }) +
          alert('B', 'up == 0', { labels: { severity: 'page', team: 'x' } }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'alert A has no severity, team labels',
      'alert B has severity "page"',
    ]);
  });

  it('accepts labels set on the rule or its group', async () => {
    const file = `groups:\n  - name: g\n    labels:\n      team: payments\n    rules:\n${alert('A', 'up == 0', { labels: { severity: 'critical' } })}`;
    expect(await run(requiredLabels, { 'rules.yml': file })).toEqual([]);
  });
});
