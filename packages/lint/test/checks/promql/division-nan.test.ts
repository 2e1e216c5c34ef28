import { describe, expect, it } from 'vitest';
import { divisionNaN } from '../../../src/checks/promql/division-nan.ts';
import { alert, queries, records, rules, run } from '../../helpers.ts';

const ratio = 'sum(rate(http_requests_total{status="500"}[5m])) / sum(rate(http_requests_total[5m]))';

describe('promql/division-nan', () => {
  it('reports an unguarded ratio in a recording rule', async () => {
    const findings = await run(divisionNaN, records({ 'job:errors:ratio_rate5m': ratio }));
    expect(findings.map((f) => f.message)).toEqual([
      'division by a vector that can be 0: 0/0 gives NaN when there is no traffic',
    ]);
    expect(findings[0]!.expression!.span).toEqual({ start: 0, end: ratio.length });
  });

  it('checks dashboards only with the option', async () => {
    expect(await run(divisionNaN, queries(ratio))).toEqual([]);
    const options = { checks: { 'promql/division-nan': { options: { dashboards: true } } } };
    expect(await run(divisionNaN, queries(ratio), options)).toHaveLength(1);
  });

  it('accepts filtered, clamped and compared ratios', async () => {
    const findings = await run(divisionNaN, {
      ...records({
        'a:b:c':
          'sum(rate(http_requests_total{status="500"}[5m])) / (sum(rate(http_requests_total[5m])) > 0)',
        'a:b:d':
          'sum(rate(http_requests_total{status="500"}[5m])) / clamp_min(sum(rate(http_requests_total[5m])), 1e-9)',
        'a:b:e': 'sum(up) / count(up)',
      }),
    });
    expect(findings).toEqual([]);
    expect(await run(divisionNaN, rules(alert('HighErrors', `${ratio} > 0.05`)))).toEqual([]);
  });

  it('accepts division by a CPU count recorded by a rule of the project', async () => {
    const findings = await run(
      divisionNaN,
      records({
        'instance:node_num_cpu:sum': 'count without (cpu, mode) (node_cpu_seconds_total{mode="idle"})',
        'instance:node_load1_per_cpu:ratio': 'node_load1 / instance:node_num_cpu:sum',
      }),
      { catalog: undefined },
    );
    expect(findings).toEqual([]);
  });
});
