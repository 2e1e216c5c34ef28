import { describe, expect, it } from 'vitest';
import { undefinedReceiver } from '../../../src/checks/alertmanager/undefined-receiver.ts';
import { findingsOf } from './fixture.ts';

describe('alertmanager/undefined-receiver', () => {
  it('reports routes sending to receivers that are not defined, at the route', async () => {
    expect(await findingsOf(undefinedReceiver, false)).toEqual([
      '11 route.routes[0].routes[0] sends to receiver "database-pager", which is not defined',
      '20 route.routes[4] sends to receiver "storage", which is not defined',
    ]);
  });
});
