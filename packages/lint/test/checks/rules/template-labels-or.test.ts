import { describe, expect, it } from 'vitest';
import { templateLabelsOr } from '../../../src/checks/rules/template-labels-or.ts';
import { alert, caret, promtoolTest, rules, run } from '../../helpers.ts';

const annotations = (summary: string) => ({ summary, description: 'd', runbook_url: 'https://r' });
const FALLBACK = 'up{job="api"} == 0 or absent(up{job="api"})';

describe('rules/template-labels-or', () => {
  it('reports a label one side of or never returns, at that side', async () => {
    const findings = await run(
      templateLabelsOr,
      rules(
        alert('Down', FALLBACK, {
          annotations: annotations('{{ $labels.instance }} of {{ $labels.job }} is down'),
        }),
      ),
    );
    expect(findings.map((f) => [f.message, caret(f), f.hint])).toEqual([
      [
        'summary of alert Down reads label "instance", which is empty when this side of or fires',
        'absent(up{job="api"})',
        'give absent() an equality matcher on instance, or do not read it',
      ],
    ]);
  });

  it('accepts labels both sides return, and leaves labels no side returns to rules/template-labels', async () => {
    const findings = await run(
      templateLabelsOr,
      rules(
        alert('Both', 'up{job="api"} == 0 or up{job="web"} == 0', {
          annotations: annotations('{{ $labels.instance }}'),
        }) +
          alert('Neither', 'sum(up) == 0 or absent(up)', {
            annotations: annotations('{{ $labels.instance }}'),
          }),
      ),
    );
    expect(findings).toEqual([]);
  });

  it('is right: promtool renders the label empty when absent() fires', async () => {
    const rule = { alert: 'Down', expr: FALLBACK, annotations: { summary: '[{{ $labels.instance }}]' } };
    const test = (series: { series: string; values: string }[], instance: string) => ({
      interval: '1m',
      input_series: series,
      alert_rule_test: [
        {
          eval_time: '5m',
          alertname: 'Down',
          exp_alerts: [
            {
              exp_labels: { job: 'api', ...(instance && { instance }) },
              exp_annotations: { summary: `[${instance}]` },
            },
          ],
        },
      ],
    });
    const output = await promtoolTest(
      { groups: [{ name: 'g', rules: [rule] }] },
      {
        tests: [
          test([{ series: 'up{job="api", instance="api-0"}', values: '0x10' }], 'api-0'),
          test([{ series: 'up{job="other", instance="x"}', values: '1x10' }], ''),
        ],
      },
    );
    expect(output).toContain('SUCCESS');
  }, 60_000);
});
