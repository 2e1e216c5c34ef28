import { describe, expect, it } from 'vitest';
import { templateLabels } from '../../../src/checks/rules/template-labels.ts';
import { alert, rules, run } from '../../helpers.ts';

const annotations = (summary: string) => ({ summary, description: 'd', runbook_url: 'https://r' });

describe('rules/template-labels', () => {
  it('reports templates reading labels the expression does not return, static ones included', async () => {
    const findings = await run(
      templateLabels,
      rules(
        alert('A', 'up == 0', { annotations: annotations('{{ $labels.service }} is down') }) +
          alert('B', 'up == 0', {
            annotations: annotations('{{ $labels.severity }}: {{ $labels.instance }}'),
          }),
      ),
    );
    expect(findings.map((f) => [f.message, f.hint])).toEqual([
      [
        'summary of alert A reads label "service", which the expression does not return',
        'read a label the expression keeps, or keep this one',
      ],
      [
        'summary of alert B reads label "severity", which the expression does not return',
        '"severity" is a static label of the rule: templates only see the series\' labels; write its value directly',
      ],
    ]);
  });

  it('accepts labels the expression returns, and leaves aggregation drops to promql/fragile-aggregation', async () => {
    const findings = await run(
      templateLabels,
      rules(
        alert('A', 'up == 0', { annotations: annotations('{{ $labels.job }}/{{ .Labels.instance }}') }) +
          alert('B', 'sum by (job) (up) == 0', { annotations: annotations('{{ $labels.instance }}') }),
      ),
    );
    expect(findings).toEqual([]);
  });
});
