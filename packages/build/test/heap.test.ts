import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { holdHeapGrowth } from '../src/heap.ts';

/** A gc entry's `detail` says which collection it was (Node's docs; its types omit the field). */
type GcEntry = PerformanceEntry & { readonly detail?: { readonly kind?: number } };

/**
 * The full collections V8 runs while 40 MB stay live and 4 million objects, each kept while 200,000
 * newer ones are made, become garbage: they outlive the young generation, so only a full collection
 * frees them, as the emitters' output does.
 */
async function fullCollections(): Promise<number> {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as GcEntry[])
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) count++;
  });
  observer.observe({ entryTypes: ['gc'] });
  const live = Array.from({ length: 400_000 }, (_, i) => ({ i, text: `live-${i}` }));
  const recent: unknown[] = new Array(200_000);
  for (let i = 0; i < 4_000_000; i++) recent[i % recent.length] = { i, text: `garbage-${i}` };
  // GC entries reach observers after the collection, on a later turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  // Read after the churn, so that it stays live through it.
  expect(live.at(-1)?.i).toBe(399_999);
  return count;
}

describe('holdHeapGrowth', () => {
  it('makes V8 collect the whole heap at least twice as often until released', async () => {
    const free = await fullCollections();
    const release = holdHeapGrowth();
    const held = await fullCollections();
    release();
    release();
    const after = await fullCollections();
    expect(held).toBeGreaterThanOrEqual(2 * Math.max(1, free));
    expect(after).toBeLessThan(held);
  });

  it('leaves the heap as the user set it through node options', async () => {
    const before = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--max-old-space-size=4096';
    try {
      const free = await fullCollections();
      const release = holdHeapGrowth();
      const held = await fullCollections();
      release();
      expect(held).toBeLessThan(2 * Math.max(1, free));
    } finally {
      if (before === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = before;
    }
  });
});
