import { describe, expect, it } from 'vitest';
import { unreachableRoute } from '../../../src/checks/alertmanager/unreachable-route.ts';
import { findingsOf } from './fixture.ts';

describe('alertmanager/unreachable-route', () => {
  it('reports routes shadowed by an earlier sibling or contradicting their parent, and nothing else', async () => {
    expect(await findingsOf(unreachableRoute, false)).toEqual([
      '11 route.routes[0].routes[0] is never reached: it needs severity="warning" below a route that needs severity="critical"',
      '17 route.routes[3] is never reached: route.routes[2] before it takes every alert it matches (it has no matchers) and does not continue',
      '20 route.routes[4] is never reached: route.routes[2] before it takes every alert it matches (it has no matchers) and does not continue',
    ]);
  });
});
