import { describe, expect, it } from 'vitest';
import { valueInLabel } from '../../../src/checks/rules/value-in-label.ts';
import { alert, rules, run } from '../../helpers.ts';

describe('rules/value-in-label', () => {
  it('reports label templates that read the value', async () => {
    const findings = await run(
      valueInLabel,
      rules(
        alert('A', 'up == 0', {
          labels: { severity: 'warning', team: 'platform', current: '{{ $value }}' },
        }) +
          alert('B', 'up == 0', {
            labels: {
              severity: '{{ if gt .Value 10.0 }}critical{{ else }}warning{{ end }}',
              team: 'platform',
            },
          }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      "label current of alert A reads the expression's value: every change of the value is a new alert",
      "label severity of alert B reads the expression's value: every change of the value is a new alert",
    ]);
  });

  it('accepts the value in annotations and labels that read only labels', async () => {
    const findings = await run(
      valueInLabel,
      rules(
        alert('A', 'up == 0', {
          labels: {
            severity: 'warning',
            team: '{{ $labels.job }}',
            note: '$value is text outside an action',
          },
          annotations: {
            summary: '{{ $value | humanize }}',
            description: '{{ .Value }}',
            runbook_url: 'https://r',
          },
        }),
      ),
    );
    expect(findings).toEqual([]);
  });
});
