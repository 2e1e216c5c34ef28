import { describe, expect, it } from 'vitest';
import {
  builtinVariables,
  formatInterval,
  formatVariable,
  goDuration,
  interpolate,
  parseInterval,
  queryTiming,
  resolveTime,
  roundInterval,
  type VariableValue,
} from './grafana.ts';

const HOUR = 3_600_000;

describe('Grafana query timing', () => {
  it('rounds intervals to Grafana’s nice steps', () => {
    expect(roundInterval(21_600)).toBe(20_000);
    expect(roundInterval(1_960)).toBe(2_000);
    expect(roundInterval(50 * 60_000)).toBe(HOUR);
  });

  it('derives $__interval from range and width, never under the min interval, and $__rate_interval from the scrape interval', () => {
    const sixHours = queryTiming({
      fromMs: 0,
      toMs: 6 * HOUR,
      maxDataPoints: 1000,
      minIntervalMs: 15_000,
      scrapeIntervalMs: 15_000,
    });
    expect(sixHours.intervalMs).toBe(20_000);
    expect(sixHours.rateIntervalMs).toBe(60_000);
    const oneHour = queryTiming({
      fromMs: 0,
      toMs: HOUR,
      maxDataPoints: 1800,
      minIntervalMs: 15_000,
      scrapeIntervalMs: 15_000,
    });
    expect(oneHour.intervalMs).toBe(15_000);
    const sevenDays = queryTiming({
      fromMs: 0,
      toMs: 168 * HOUR,
      maxDataPoints: 1000,
      minIntervalMs: 1000,
      scrapeIntervalMs: 1000,
    });
    expect(sevenDays.intervalMs).toBe(10 * 60_000);
    expect(sevenDays.rateIntervalMs).toBe(10 * 60_000 + 1000);
  });

  it('prints the built-ins as Grafana does', () => {
    const vars = builtinVariables({ intervalMs: 20_000, rateIntervalMs: 75_000, rangeMs: 6 * HOUR });
    expect(vars).toMatchObject({
      __interval: '20s',
      __interval_ms: '20000',
      __rate_interval: '1m15s',
      __range: '21600s',
      __range_s: '21600',
    });
    expect(goDuration(60_000)).toBe('1m0s');
    expect(formatInterval(90_000)).toBe('1m');
    expect(parseInterval('1m30s')).toBe(90_000);
    expect(() => parseInterval('soon')).toThrow('soon');
    expect(resolveTime('now-6h', 10 * HOUR)).toBe(4 * HOUR);
  });
});

describe('Grafana variable interpolation', () => {
  const single: VariableValue = { values: ['payments'], all: false, multi: false, includeAll: false };
  const all: VariableValue = {
    values: ['a.b', 'c'],
    all: true,
    multi: true,
    includeAll: true,
    customAllValue: '.+',
  };
  const several: VariableValue = { values: ['a.b', 'c'], all: false, multi: true, includeAll: true };

  it('uses the custom all value, a regex alternation of escaped values, or the plain value', () => {
    expect(formatVariable(all, undefined)).toBe('.+');
    expect(formatVariable(several, undefined)).toBe('(a\\\\.b|c)');
    expect(formatVariable(single, undefined)).toBe('payments');
    expect(formatVariable(several, 'pipe')).toBe('a.b|c');
    expect(formatVariable(several, 'csv')).toBe('a.b,c');
    expect(() => formatVariable(several, 'percentencode')).toThrow('percentencode');
  });

  it('replaces every spelling of a variable and the built-ins, and refuses unknown names', () => {
    const variables = new Map([
      ['service', single],
      ['instance', all],
    ]);
    const builtins = { __rate_interval: '1m0s' };
    expect(
      interpolate(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${var} syntax, not a template literal
        'sum(rate(x{service="$service",instance=~"${instance}",a="[[service]]"}[$__rate_interval]))',
        builtins,
        variables,
      ),
    ).toBe('sum(rate(x{service="payments",instance=~".+",a="payments"}[1m0s]))');
    expect(() => interpolate('x{job="$job"}', builtins, variables)).toThrow('$job');
  });
});
