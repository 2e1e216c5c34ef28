import { describe, expect, it } from 'vitest';
import { datasourceHardcoded } from '../../../src/checks/dashboard/datasource-hardcoded.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/datasource-hardcoded', () => {
  it('reports fixed datasource uids on panels and queries', async () => {
    const json = dashboard([
      { datasource: { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' }, targets: [{ expr: 'up' }] },
      { targets: [{ expr: 'up', datasource: 'prom-prod' }] },
    ]);
    const findings = await run(datasourceHardcoded, { 'd.json': json });
    expect(findings.map((f) => [f.subject, f.message])).toEqual([
      ['panel "Panel 1" of dashboard test', 'datasource uid "P1809F7CD0C75ACF3" is hard-coded'],
      ['query A of panel "Panel 2" (dashboard test)', 'datasource uid "prom-prod" is hard-coded'],
    ]);
  });

  it('accepts variables and Grafana pseudo datasources', async () => {
    const json = dashboard([
      { targets: [{ expr: 'up' }] },
      { datasource: { uid: '-- Mixed --' }, targets: [{ expr: 'up', datasource: { uid: '$datasource' } }] },
    ]);
    expect(await run(datasourceHardcoded, { 'd.json': json })).toEqual([]);
  });
});
