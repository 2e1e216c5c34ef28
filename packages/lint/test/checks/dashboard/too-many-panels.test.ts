import { describe, expect, it } from 'vitest';
import { tooManyPanels } from '../../../src/checks/dashboard/too-many-panels.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/too-many-panels', () => {
  const panels = (n: number) => Array.from({ length: n }, () => ({ targets: [{ expr: 'up' }] }));

  it('reports a dashboard over the limit', async () => {
    const findings = await run(tooManyPanels, { 'd.json': dashboard(panels(41)) });
    expect(findings.map((f) => f.message)).toEqual(['dashboard test has 41 panels (at most 40)']);
  });

  it('accepts dashboards at the limit, and a configured limit', async () => {
    expect(await run(tooManyPanels, { 'd.json': dashboard(panels(40)) })).toEqual([]);
    const config = { checks: { 'dashboard/too-many-panels': { options: { max: 60 } } } };
    expect(await run(tooManyPanels, { 'd.json': dashboard(panels(41)) }, config)).toEqual([]);
  });
});
