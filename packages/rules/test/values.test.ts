import { describe, expect, it } from 'vitest';
import { constant, linear, missing, series, stale, values } from '../src/index.ts';
import { counterSegments } from '../src/promtool/values.ts';
import { requests } from './fixtures.ts';

describe("promtool's series notation", () => {
  it('spells linear, constant, missing and stale pieces as promtool reads them', () => {
    expect(values(linear(0, 10, 60))).toBe('0+10x60');
    expect(values(linear(100, -2.5, 4), missing(3), stale(), constant(7, 2))).toBe('100-2.5x4 _x3 stale 7x2');
    expect(values(missing(1))).toBe('_');
  });

  it('continues a counter across segments without a jump', () => {
    // 0..30 by 10, then 4 more steps of 1 from 31: one sample per step, no repeated value.
    expect(
      counterSegments([
        { steps: 3, perStep: 10 },
        { steps: 4, perStep: 1 },
      ]),
    ).toBe('0+10x3 31+1x3');
  });

  it('rejects counts that are not whole numbers', () => {
    expect(() => linear(0, 1, 2.5)).toThrow(/whole number/);
  });

  it('types input series by the catalogue metric and checks listed values', () => {
    expect(series(requests, { route: '/cart', code: '200' }, linear(0, 1, 5))).toEqual({
      series: 'shop_requests_total{code="200",route="/cart"}',
      values: '0+1x5',
    });
    // @ts-expect-error: 418 is not a status code the catalogue lists for shop_requests_total.
    expect(() => series(requests, { code: '418' }, '1x5')).toThrow(
      /label code of shop_requests_total has no value "418"/,
    );
  });

  it('makes one input series of the same text and values, however often a suite asks for it', () => {
    const healthy = () => series(requests, { route: '/cart', code: '200' }, linear(0, 1, 5));
    expect(healthy()).toBe(healthy());
    expect(Object.isFrozen(healthy())).toBe(true);
    expect(series(requests, { route: '/cart', code: '200' }, linear(0, 2, 5))).not.toBe(healthy());
    expect(series(requests, { route: '/cart', code: '500' }, linear(0, 1, 5))).not.toBe(healthy());
    // A text with a second and a third values: each still made once, the first too.
    const faster = () => series(requests, { route: '/cart', code: '200' }, linear(0, 2, 5));
    const fastest = () => series(requests, { route: '/cart', code: '200' }, linear(0, 3, 5));
    expect([healthy(), faster(), fastest()]).toEqual([healthy(), faster(), fastest()]);
    expect(new Set([healthy(), faster(), fastest(), healthy(), faster(), fastest()]).size).toBe(3);
    expect(fastest().values).toBe('0+3x5');
  });
});
