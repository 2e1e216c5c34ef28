import { describe, expect, it } from 'vitest';
import { requiredAnnotations } from '../../../src/checks/rules/required-annotations.ts';
import { alert, rules, run } from '../../helpers.ts';

describe('rules/required-annotations', () => {
  it('reports missing annotations and a runbook that is not a link', async () => {
    const findings = await run(
      requiredAnnotations,
      rules(
        alert('A', 'up == 0', { annotations: { summary: 'down' } }) +
          alert('B', 'up == 0', { annotations: { summary: 's', description: 'd', runbook_url: 'wiki/B' } }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'alert A has no description, runbook_url annotations',
      'alert B runbook_url "wiki/B" is not an http(s) link',
    ]);
  });

  it('accepts complete alerts and the configured list', async () => {
    expect(await run(requiredAnnotations, rules(alert('A', 'up == 0')))).toEqual([]);
    const config = { checks: { 'rules/required-annotations': { options: { annotations: ['summary'] } } } };
    expect(
      await run(requiredAnnotations, rules(alert('A', 'up == 0', { annotations: { summary: 's' } })), config),
    ).toEqual([]);
  });
});
