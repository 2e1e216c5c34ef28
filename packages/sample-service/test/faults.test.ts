import { describe, expect, it } from 'vitest';
import { Faults, FaultValidationError, parseFault } from '../src/faults.ts';

describe('faults', () => {
  it('combines the faults on a target: independent error sources, added latency, any hang, every hidden metric', () => {
    const faults = new Faults();
    faults.add({ target: { job: 'orders' }, errorRatio: 0.5, hiddenMetrics: ['a'] });
    faults.add({
      target: { job: 'orders', instance: '127.0.0.1:1' },
      errorRatio: 0.5,
      addedLatencySeconds: 2,
    });
    faults.add({
      target: { job: 'orders', instance: '127.0.0.1:2' },
      unresponsive: true,
      hiddenMetrics: ['b'],
    });
    const one = faults.effectOn('orders', '127.0.0.1:1');
    expect(one.errorRatio).toBe(0.75);
    expect(one.addedLatencySeconds).toBe(2);
    expect(one.unresponsive).toBe(false);
    expect([...one.hiddenMetrics]).toEqual(['a']);
    const two = faults.effectOn('orders', '127.0.0.1:2');
    expect(two.unresponsive).toBe(true);
    expect([...two.hiddenMetrics].sort()).toEqual(['a', 'b']);
    expect(faults.effectOn('payments', '127.0.0.1:1').errorRatio).toBe(0);
  });

  it('applies a fault that names an environment to the instances of that environment only', () => {
    const faults = new Faults();
    faults.add({ target: { job: 'orders', environment: 'staging' }, errorRatio: 1 });
    expect(faults.effectOn('orders', '127.0.0.1:1', 'staging').errorRatio).toBe(1);
    expect(faults.effectOn('orders', '127.0.0.1:2', 'production').errorRatio).toBe(0);
    expect(faults.effectOn('orders', '127.0.0.1:3').errorRatio).toBe(0);
    faults.add({ target: { job: 'orders' }, addedLatencySeconds: 1 });
    expect(faults.effectOn('orders', '127.0.0.1:2', 'production').addedLatencySeconds).toBe(1);
  });

  it('removes one fault by id, or all', () => {
    const faults = new Faults();
    const first = faults.add({ target: { job: 'orders' }, errorRatio: 1 });
    faults.add({ target: { job: 'cart' }, errorRatio: 1 });
    expect(faults.remove(first.id)).toBe(true);
    expect(faults.remove(first.id)).toBe(false);
    expect(faults.effectOn('orders', 'x').errorRatio).toBe(0);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });

  it.each([
    [null, 'JSON object'],
    [{ target: {} }, 'target.job'],
    [{ target: { job: 'orders' }, errorRatio: 1.5 }, 'errorRatio'],
    [{ target: { job: 'orders' }, addedLatencySeconds: -1 }, 'addedLatencySeconds'],
    [{ target: { job: 'orders' }, unresponsive: 'yes' }, 'unresponsive'],
    [{ target: { job: 'orders' }, hiddenMetrics: [1] }, 'hiddenMetrics'],
    [{ target: { job: 'orders', environment: '' } }, 'target.environment'],
  ])('rejects %j naming the wrong field', (body, field) => {
    expect(() => parseFault(body)).toThrow(FaultValidationError);
    expect(() => parseFault(body)).toThrow(field);
  });

  it('reads a valid fault', () => {
    expect(parseFault({ target: { job: 'orders', instance: '127.0.0.1:9' }, errorRatio: 0.2 })).toEqual({
      target: { job: 'orders', instance: '127.0.0.1:9' },
      errorRatio: 0.2,
    });
    expect(parseFault({ target: { job: 'orders', environment: 'staging' }, errorRatio: 1 })).toEqual({
      target: { job: 'orders', environment: 'staging' },
      errorRatio: 1,
    });
  });
});
