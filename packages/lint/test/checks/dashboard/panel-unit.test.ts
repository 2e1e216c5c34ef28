import { describe, expect, it } from 'vitest';
import { panelUnit } from '../../../src/checks/dashboard/panel-unit.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/panel-unit', () => {
  it('reports graphs and stats without a unit', async () => {
    const json = dashboard([{ title: 'Latency', unit: '', targets: [{ expr: 'up' }] }]);
    expect((await run(panelUnit, { 'd.json': json })).map((f) => f.message)).toEqual([
      'timeseries panel "Latency" has no unit',
    ]);
  });

  it('accepts panels with units, tables, and panels without queries', async () => {
    const json = dashboard([
      { unit: 's', targets: [{ expr: 'up' }] },
      { type: 'table', unit: '', targets: [{ expr: 'up' }] },
      { unit: '' },
    ]);
    expect(await run(panelUnit, { 'd.json': json })).toEqual([]);
  });
});
