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
});
