import { describe, expect, it } from 'vitest';
import { duplicate } from '../../../src/checks/dashboard/duplicate.ts';
import { dashboard, run } from '../../helpers.ts';

describe('dashboard/duplicate', () => {
  it('reports a reused dashboard uid and a reused panel id', async () => {
    const findings = await run(duplicate, {
      'a.json': dashboard([
        { id: 1, title: 'One' },
        { id: 1, title: 'Two' },
      ]),
      'b.json': dashboard([{ id: 1 }], { title: 'Other' }),
    });
    expect(findings.map((f) => [f.source?.file, f.message])).toEqual([
      ['a.json', 'panel id 1 is also used by panel "One" at a.json:14:5'],
      ['b.json', 'dashboard uid "test" is also used by "Test" at a.json:1:1'],
    ]);
  });

  it('accepts distinct uids and panel ids', async () => {
    const findings = await run(duplicate, {
      'a.json': dashboard([{ id: 1 }, { id: 2 }]),
      'b.json': dashboard([{ id: 1 }], { uid: 'other' }),
    });
    expect(findings).toEqual([]);
  });
});
