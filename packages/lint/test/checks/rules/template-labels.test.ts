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

  it('follows labels through joins, set operators and label functions as Prometheus does', async () => {
    const read = (name: string, expr: string, label: string) =>
      alert(name, expr, { annotations: annotations(`{{ $labels.${label} }}`) });
    const findings = await run(
      templateLabels,
      rules(
        // Present: copied by group_left from the other side, kept by on(), the left side of unless,
        // written by label_replace / label_join.
        read(
          'GroupLeft',
          'up * on (job, instance) group_left (method) sum by (job, instance, method) (http_requests_total)',
          'method',
        ) +
          read(
            'On',
            'http_requests_total > on (job, route) sum by (job, route) (http_requests_total)',
            'route',
          ) +
          read('Unless', 'http_requests_total unless on (job) up', 'route') +
          read('Replace', 'label_replace(up, "service", "$1", "job", "(.*)")', 'service') +
          read('Join', 'label_join(up, "target", "/", "job", "instance")', 'target') +
          // Absent: dropped by on(), not taken from the right side of and, not copied by group_left.
          read('OnDrops', 'http_requests_total > on (job) up', 'route') +
          read('And', 'up and on (job) http_requests_total', 'route') +
          read('NotCopied', 'http_requests_total * on (job, instance) group_left (route) up', 'route'),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'summary of alert OnDrops reads label "route", which the expression does not return',
      'summary of alert And reads label "route", which the expression does not return',
      'summary of alert NotCopied reads label "route", which the expression does not return',
    ]);
  });

  it('claims nothing about metrics the catalogue does not know', async () => {
    const findings = await run(
      templateLabels,
      rules(
        alert('Foreign', 'kube_pod_status_ready{condition="false"} == 1', {
          annotations: annotations('{{ $labels.pod }}'),
        }),
      ),
      { catalog: undefined },
    );
    expect(findings).toEqual([]);
  });
});
