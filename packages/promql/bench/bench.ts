// `npm run bench`: wasm size, init time, expressions per second through the wasm binding and through
// the same shim built natively, and the wasm/native ratio. Figures only; targets are in the README.
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init, parse } from '../src/index.ts';
import { callShim, optionFlags, WASM_URL } from '../src/wasm.ts';
import { LONG, MEDIUM, SHORT } from '../test/realistic.ts';
import { NATIVE } from '../test/support.ts';

const ROUNDS = 3;
const SECONDS_PER_ROUND = 1.5;
const INIT_SAMPLES = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const meanLength = (corpus: readonly string[]) =>
  Math.round(corpus.reduce((sum, e) => sum + e.length, 0) / corpus.length);

/** Init in fresh processes: the first instantiation is what a CLI run or a test file pays. */
function initMilliseconds(): number[] {
  const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const script = `const p = await import(${JSON.stringify(index)}); const t = performance.now(); await p.init(); console.log(performance.now() - t);`;
  return Array.from({ length: INIT_SAMPLES }, () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(child.stderr);
    return Number(child.stdout.trim());
  });
}

/** Best of a few timed rounds (the machine is shared; the best round is the least disturbed). */
function perSecond(corpus: readonly string[], run: (expr: string) => unknown): number {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < SECONDS_PER_ROUND * 1000) {
      for (const expr of corpus) run(expr);
      count += corpus.length;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, count / (elapsed / 1000));
  }
  return best;
}

function nativePerSecond(corpus: readonly string[]): number {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const rounds = Math.max(1, Math.round(20_000 / corpus.length));
    const out = execFileSync(NATIVE, ['bench', String(rounds)], {
      input: JSON.stringify(corpus),
      encoding: 'utf8',
    });
    const { expressions, nanoseconds } = JSON.parse(out) as { expressions: number; nanoseconds: number };
    best = Math.max(best, expressions / (nanoseconds / 1e9));
  }
  return best;
}

const wasmBytes = statSync(fileURLToPath(WASM_URL)).size;
const inits = initMilliseconds();
await init();
const flags = optionFlags();
for (const expr of [...SHORT, ...MEDIUM, ...LONG]) parse(expr); // warm up the JIT tiers

const rows = Object.entries({ short: SHORT, medium: MEDIUM, long: LONG }).map(([name, corpus]) => {
  const api = perSecond(corpus, (expr) => parse(expr));
  const shim = perSecond(corpus, (expr) => callShim('parse', expr, flags));
  const native = nativePerSecond(corpus);
  return { name, chars: meanLength(corpus), api, shim, native, ratio: shim / native };
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`wasm size            ${(wasmBytes / 1024 / 1024).toFixed(1)} MiB (${wasmBytes} bytes)`);
console.log(
  `init (fresh process) median ${median(inits).toFixed(0)} ms, samples ${inits.map((ms) => ms.toFixed(0)).join(', ')}`,
);
console.log('');
console.log('corpus   mean chars   parse() expr/s   wasm shim expr/s   native Go expr/s   wasm/native');
for (const row of rows) {
  console.log(
    `${row.name.padEnd(8)} ${String(row.chars).padStart(10)} ${fmt(row.api).padStart(16)} ${fmt(row.shim).padStart(18)} ${fmt(row.native).padStart(18)} ${row.ratio.toFixed(2).padStart(13)}`,
  );
}
console.log(
  '\nparse() includes JSON.parse of the tree; the shim and native columns do the same work: parse and render JSON.',
);
