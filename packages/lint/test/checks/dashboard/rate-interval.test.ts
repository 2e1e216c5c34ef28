import { describe, expect, it } from 'vitest';
import { rateInterval } from '../../../src/checks/dashboard/rate-interval.ts';
import { dashboard, queries, records, run } from '../../helpers.ts';

/** One panel per query, each target with the given min step (Grafana `interval`). */
function withMinStep(...targets: { expr: string; interval?: string }[]): Record<string, string> {
  return { 'dashboard.json': dashboard(targets.map((target) => ({ targets: [target] }))) };
}

describe('dashboard/rate-interval', () => {
  it('reports fixed ranges and $__interval in dashboard rates', async () => {
    const findings = await run(
      rateInterval,
      queries('sum(rate(http_requests_total[5m]))', 'sum(increase(http_requests_total[$__interval]))'),
    );
    expect(findings.map((f) => [f.message, f.expression?.span])).toEqual([
      ['rate() over [5m] instead of [$__rate_interval]', { start: 9, end: 32 }],
      ['increase() over [$__interval] instead of [$__rate_interval]', { start: 13, end: 45 }],
    ]);
  });

  it('reports a fixed subquery range as it does a fixed range', async () => {
    const findings = await run(
      rateInterval,
      queries(
        'sum(rate(http_requests_total[10m:1m]))',
        'sum(rate(http_requests_total[$__rate_interval:$__interval]))',
      ),
    );
    expect(findings.map((f) => f.message)).toEqual(['rate() over [10m] instead of [$__rate_interval]']);
  });

  it('accepts $__rate_interval and $__range, and leaves rules alone', async () => {
    expect(
      await run(
        rateInterval,
        queries(
          'sum(rate(http_requests_total[$__rate_interval]))',
          'sum(increase(http_requests_total[$__range]))',
        ),
      ),
    ).toEqual([]);
    expect(await run(rateInterval, records({ 'a:b:c': 'sum(rate(http_requests_total[5m]))' }))).toEqual([]);
  });

  it('accepts increase() over a fixed window equal to the query min step: an amount per window', async () => {
    const findings = await run(
      rateInterval,
      withMinStep(
        { expr: 'sum(increase(http_requests_total[1h]))', interval: '1h' },
        { expr: 'sum(increase(http_requests_total[1d]))', interval: '24h' },
      ),
    );
    expect(findings).toEqual([]);
  });

  it('still reports a fixed window the min step does not declare, and rate() whatever the step', async () => {
    const findings = await run(
      rateInterval,
      withMinStep(
        { expr: 'sum(increase(http_requests_total[1h]))' },
        { expr: 'sum(increase(http_requests_total[1h]))', interval: '30m' },
        { expr: 'sum(increase(http_requests_total[1h]))', interval: '$step' },
        { expr: 'sum(rate(http_requests_total[1h]))', interval: '1h' },
        { expr: 'sum(increase(http_requests_total[$__interval]))', interval: '1h' },
      ),
    );
    expect(findings.map((f) => [f.subject, f.message])).toEqual([
      ['query A of panel "Panel 1" (dashboard test)', 'increase() over [1h] instead of [$__rate_interval]'],
      ['query A of panel "Panel 2" (dashboard test)', 'increase() over [1h] instead of [$__rate_interval]'],
      ['query A of panel "Panel 3" (dashboard test)', 'increase() over [1h] instead of [$__rate_interval]'],
      ['query A of panel "Panel 4" (dashboard test)', 'rate() over [1h] instead of [$__rate_interval]'],
      [
        'query A of panel "Panel 5" (dashboard test)',
        'increase() over [$__interval] instead of [$__rate_interval]',
      ],
    ]);
    expect(findings[0]!.hint).toContain("set the query's min step to 1h (fixedWindow: '1h' in the builders)");
    expect(findings[3]!.hint).toBe('write [$__rate_interval]');
  });

  it('finds the target inside a collapsed row', async () => {
    const json = JSON.stringify({
      uid: 'rows',
      title: 'Rows',
      templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
      panels: [
        {
          id: 1,
          type: 'row',
          title: 'Revenue',
          collapsed: true,
          panels: [
            {
              id: 2,
              type: 'timeseries',
              title: 'Per hour',
              datasource: { type: 'prometheus', uid: '$datasource' },
              targets: [{ refId: 'A', expr: 'sum(increase(http_requests_total[1h]))', interval: '1h' }],
            },
          ],
        },
      ],
    });
    expect(await run(rateInterval, { 'dashboard.json': json })).toEqual([]);
  });

  it('reads the min step of a v2 dashboard resource from its query spec', async () => {
    const panel = (id: number, spec: Record<string, string>) => ({
      kind: 'Panel',
      spec: {
        id,
        title: `Panel ${id}`,
        data: {
          kind: 'QueryGroup',
          spec: {
            queries: [
              {
                kind: 'PanelQuery',
                spec: {
                  refId: 'A',
                  query: { kind: 'DataQuery', group: 'prometheus', version: 'v0', spec },
                },
              },
            ],
          },
        },
        vizConfig: { kind: 'VizConfig', group: 'timeseries', version: '', spec: {} },
      },
    });
    const json = JSON.stringify({
      apiVersion: 'dashboard.grafana.app/v2beta1',
      kind: 'Dashboard',
      metadata: { name: 'revenue' },
      spec: {
        title: 'Revenue',
        elements: {
          'panel-1': panel(1, { expr: 'sum(increase(http_requests_total[1h]))', interval: '1h' }),
          'panel-2': panel(2, { expr: 'sum(increase(http_requests_total[1h]))' }),
        },
      },
    });
    const findings = await run(rateInterval, { 'dashboard.json': json });
    expect(findings.map((f) => f.subject)).toEqual(['query A of panel "Panel 2" (dashboard revenue)']);
  });
});
