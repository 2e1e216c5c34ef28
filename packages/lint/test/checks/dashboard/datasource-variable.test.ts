import { describe, expect, it } from 'vitest';
import { datasourceVariable } from '../../../src/checks/dashboard/datasource-variable.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/datasource-variable', () => {
  it('reports a dashboard with Prometheus queries and no datasource variable', async () => {
    const json = dashboard([{ targets: [{ expr: 'up' }] }], { templating: { list: [] } });
    const findings = await run(datasourceVariable, { 'd.json': json });
    expect(findings.map((f) => f.message)).toEqual([
      'dashboard test has Prometheus queries but no datasource variable',
    ]);
  });

  it('accepts a dashboard with the variable, and one without Prometheus queries', async () => {
    expect(await run(datasourceVariable, { 'd.json': dashboard([{ targets: [{ expr: 'up' }] }]) })).toEqual(
      [],
    );
    const logs = dashboard(
      [{ datasource: { type: 'loki', uid: '$loki' }, targets: [{ expr: '{app="x"}' }] }],
      {
        templating: { list: [] },
      },
    );
    expect(await run(datasourceVariable, { 'd.json': logs })).toEqual([]);
  });
});
