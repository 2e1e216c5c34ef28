import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.ts';
import { callShim } from '../src/wasm.ts';
import { checkFuzzBatch, fuzzInputs } from './fuzz.ts';
import { nativeOracle } from './support.ts';

const COUNT = 100_000;
// A fresh seed each run widens the search; it is in the failure message to replay with `npm run fuzz -- --seed`.
const seed = Number(process.env.O11Y_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('fuzz', () => {
  beforeAll(() => init());

  it(`answers ${COUNT} random and mutated expressions like the native parser (seed ${seed})`, () => {
    const inputs = fuzzInputs(COUNT, seed);
    expect(new Set(inputs).size).toBeGreaterThan(COUNT * 0.8);
    const { failures, accepted } = checkFuzzBatch(inputs, callShim, nativeOracle);
    expect(failures.slice(0, 5), `seed ${seed}: ${failures.length} failures`).toEqual([]);
    // Both outcomes must be well represented, or the fuzzer only probes one side of the parser.
    expect(accepted).toBeGreaterThan(COUNT * 0.05);
    expect(accepted).toBeLessThan(COUNT * 0.95);
  }, 600_000);
});
