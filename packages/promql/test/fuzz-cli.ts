// `npm run fuzz -- [--count N] [--seed S]`: the fuzz test's check at any scale, in batches.
import { parseArgs } from 'node:util';
import { init } from '../src/index.ts';
import { callShim } from '../src/wasm.ts';
import { checkFuzzBatch, fuzzInputs } from './fuzz.ts';
import { nativeOracle } from './support.ts';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000000' }, seed: { type: 'string' } },
});
const count = Number(values.count);
const firstSeed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31));
const BATCH = 100_000;

await init();
let failures = 0;
const started = performance.now();
for (let done = 0, batch = 0; done < count; done += BATCH, batch++) {
  const seed = firstSeed + batch;
  const { failures: found } = checkFuzzBatch(
    fuzzInputs(Math.min(BATCH, count - done), seed),
    callShim,
    nativeOracle,
  );
  failures += found.length;
  for (const failure of found.slice(0, 3)) console.log(`seed ${seed}: ${JSON.stringify(failure)}`);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${Math.min(done + BATCH, count)} checked (seed ${seed}), ${failures} failures, ${seconds.toFixed(0)} s`,
  );
}
process.exitCode = failures === 0 ? 0 : 1;
