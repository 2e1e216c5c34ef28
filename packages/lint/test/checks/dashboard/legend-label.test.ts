import { describe, expect, it } from 'vitest';
import { legendLabel } from '../../../src/checks/dashboard/legend-label.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/legend-label', () => {
  it('reports legend labels the query does not return', async () => {
    const json = dashboard([
      {
        targets: [
          {
            expr: 'sum by (route) (rate(http_requests_total[$__rate_interval]))',
            legendFormat: '{{route}} {{status}}',
          },
        ],
      },
    ]);
    expect((await run(legendLabel, { 'd.json': json })).map((f) => f.message)).toEqual([
      'legend "{{route}} {{status}}" uses {{status}}, which the query does not return (it returns: route)',
    ]);
  });

  it('accepts labels the query keeps, and queries of unknown metrics', async () => {
    const json = dashboard([
      {
        targets: [
          {
            expr: 'sum by (route, status) (rate(http_requests_total[$__rate_interval]))',
            legendFormat: '{{route}} {{ status }}',
          },
        ],
      },
      { targets: [{ expr: 'rate(unknown_total[$__rate_interval])', legendFormat: '{{anything}}' }] },
    ]);
    expect(await run(legendLabel, { 'd.json': json })).toEqual([]);
  });
});
