import { describe, expect, it } from 'vitest';
import { unknownLabel } from '../../../src/checks/alertmanager/unknown-label.ts';
import { findingsOf } from './fixture.ts';

describe('alertmanager/unknown-label', () => {
  it('reports matchers on values no alerting rule gives a label, only when rules are linted too', async () => {
    // severity is set statically by every rule: its values are known. team may come from the series of
    // metrics nothing here declares, so it is not judged.
    expect(await findingsOf(unknownLabel, true)).toEqual([
      '19 route.routes[3] matches severity="ticket", but the alerting rules give "severity" only "critical", "warning"',
    ]);
    expect(await findingsOf(unknownLabel, false)).toEqual([]);
  });
});
