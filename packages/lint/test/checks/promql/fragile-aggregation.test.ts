import { describe, expect, it } from 'vitest';
import { fragileAggregation } from '../../../src/checks/promql/fragile-aggregation.ts';
import { alert, rules, run } from '../../helpers.ts';

describe('promql/fragile-aggregation', () => {
  it('reports the aggregation that drops a label the annotations use', async () => {
    const expr = 'sum by (job) (rate(http_requests_total{status="500"}[5m])) > 1';
    const findings = await run(
      fragileAggregation,
      rules(
        alert('HighErrors', expr, {
          annotations: { summary: '{{ $labels.route }} fails', description: 'x', runbook_url: 'https://r' },
        }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'sum() drops label "route", which summary of alert HighErrors uses',
    ]);
    expect(findings[0]!.expression!.span).toEqual({ start: 0, end: expr.length - 4 });
  });

  it('accepts aggregations that keep the labels used', async () => {
    const expr = 'sum by (job, route) (rate(http_requests_total{status="500"}[5m])) > 1';
    const annotations = {
      summary: '{{ $labels.route }} on {{ $labels.job }}',
      description: 'x',
      runbook_url: 'https://r',
    };
    expect(await run(fragileAggregation, rules(alert('HighErrors', expr, { annotations })))).toEqual([]);
  });

  it('reports without() drops, also on metrics nothing declares', async () => {
    const expr = 'sum without (pod) (rate(container_cpu_usage_seconds_total[5m])) > 1';
    const annotations = { summary: '{{ $labels.pod }} is busy', description: 'x', runbook_url: 'https://r' };
    const findings = await run(fragileAggregation, rules(alert('Busy', expr, { annotations })), {
      catalog: undefined,
    });
    expect(findings.map((f) => [f.message, f.hint])).toEqual([
      ['sum() drops label "pod", which summary of alert Busy uses', 'remove pod from without (…)'],
    ]);
  });

  it('ignores aggregations whose labels never reach the result: the right of and/unless, the other side of a join', async () => {
    const annotations = { summary: '{{ $labels.route }}', description: 'x', runbook_url: 'https://r' };
    const findings = await run(
      fragileAggregation,
      rules(
        alert('Unless', 'http_requests_total unless on (job) sum by (job) (http_requests_total)', {
          annotations,
        }) +
          alert('Join', 'http_requests_total * on (job) group_left () sum by (job) (http_requests_total)', {
            annotations,
          }),
      ),
    );
    expect(findings).toEqual([]);
  });
});
