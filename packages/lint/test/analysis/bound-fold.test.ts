import { describe, expect, it } from 'vitest';
import { BoundFold, type LabelBound, mergeBound } from '../../src/analysis/shape.ts';

/** A small deterministic generator: bounds with listed values (repeats included) or counts only. */
function* bounds(seed: number, length: number): Generator<LabelBound> {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  for (let i = 0; i < length; i++) {
    const kind = next() % 5;
    if (kind === 0) yield { count: [0, 3, Number.POSITIVE_INFINITY][next() % 3]! };
    else {
      const values = Array.from({ length: next() % 4 }, () => `v${next() % 6}`);
      yield { count: values.length, values };
    }
  }
}

/** What a caller storing each step as a spec did: fold pairwise, clamping each sum. */
function pairwise(list: readonly LabelBound[], limit: (count: number) => number): LabelBound | undefined {
  let merged: LabelBound | undefined;
  for (const bound of list) {
    if (!merged) merged = bound;
    else {
      const next = mergeBound(merged, bound);
      merged = next.values ? next : { count: limit(next.count) };
    }
  }
  return merged;
}

describe('BoundFold', () => {
  const clamp = (count: number) => (Number.isFinite(count) ? Math.max(1, count) : 1);
  it.each([
    ['without a limit', (count: number) => count],
    ['with a limit on each sum', clamp],
  ])('merges bounds as mergeBound folded pair by pair, %s', (_, limit) => {
    for (let seed = 1; seed <= 300; seed++) {
      const list = [...bounds(seed, seed % 9)];
      const fold = new BoundFold(limit);
      for (const bound of list) fold.add(bound);
      expect(fold.result).toEqual(pairwise(list, limit));
      expect(fold.merged).toBe(list.length > 1);
    }
  });

  it('keeps the one bound it was given as it is, repeats included', () => {
    const fold = new BoundFold();
    const one = { count: 3, values: ['a', 'a', 'b'] };
    fold.add(one);
    expect(fold.result).toBe(one);
    fold.add({ count: 2 });
    expect(fold.result).toEqual({ count: 5 });
  });
});
