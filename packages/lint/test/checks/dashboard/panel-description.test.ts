import { describe, expect, it } from 'vitest';
import { panelDescription } from '../../../src/checks/dashboard/panel-description.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/panel-description', () => {
  it('reports panels with queries and no description, blank ones included', async () => {
    const json = dashboard([
      { title: 'Latency', description: '', targets: [{ expr: 'up' }] },
      { title: 'Errors', description: '  ', targets: [{ expr: 'up' }] },
    ]);
    expect((await run(panelDescription, { 'd.json': json })).map((f) => f.message)).toEqual([
      'timeseries panel "Latency" has no description',
      'timeseries panel "Errors" has no description',
    ]);
  });

  it('accepts described panels and panels without queries', async () => {
    const json = dashboard([{ targets: [{ expr: 'up' }] }, { type: 'text', description: '' }]);
    expect(await run(panelDescription, { 'd.json': json })).toEqual([]);
  });
});
