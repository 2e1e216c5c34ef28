import { describe, expect, it } from 'vitest';
import { panelTitle } from '../../../src/checks/dashboard/panel-title.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/panel-title', () => {
  it('reports panels without a title', async () => {
    const findings = await run(panelTitle, {
      'd.json': dashboard([{ title: ' ', targets: [{ expr: 'up' }] }]),
    });
    expect(findings.map((f) => f.message)).toEqual(['panel 1 (timeseries) has no title']);
  });

  it('accepts titled panels and untitled text panels', async () => {
    const json = dashboard([
      { title: 'Targets up', targets: [{ expr: 'up' }] },
      { title: '', type: 'text' },
    ]);
    expect(await run(panelTitle, { 'd.json': json })).toEqual([]);
  });
});
