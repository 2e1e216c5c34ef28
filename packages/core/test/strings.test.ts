import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { flatString } from '../src/strings.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A string as the printers build one: a piece appended at a time. */
function pieces(seed: number): string {
  let text = `series_${seed}`;
  for (let i = 0; i < 20; i++) text = `${text}, label_${i}="value"`;
  return text;
}

/** Heap bytes still held by 20,000 strings made by `make` once everything else is collected. */
function retained(make: (seed: number) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: 20_000 }, (_, seed) => make(seed));
  gc();
  const held = process.memoryUsage().heapUsed - before;
  expect(kept).toHaveLength(20_000);
  return held;
}

describe('flatString', () => {
  it('is the same string', () => {
    expect(flatString(pieces(7))).toBe(pieces(7));
    expect(flatString('')).toBe('');
  });

  it('lets the pieces a string was built from go', () => {
    // Unflattened, each string keeps its 41 pieces and the 40 nodes joining them: several times its length.
    const asBuilt = retained(pieces);
    const flattened = retained((seed) => flatString(pieces(seed)));
    expect(flattened).toBeLessThan(asBuilt / 3);
  });
});
