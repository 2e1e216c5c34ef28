// `npm run bench`: wasm size, init time, expressions per second through the wasm binding and through
// the same shim built natively, and the wasm/native ratio. Figures only; targets are in the README.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { init, parse } from '../src/index.ts';
import { callShim, optionFlags, WASM_URL } from '../src/wasm.ts';
import { LONG, MEDIUM, SHORT } from '../test/realistic.ts';
import { NATIVE } from '../test/support.ts';

const ROUNDS = 5;
const SECONDS_PER_ROUND = 1;
const WARM_UP_SECONDS = 3;
const INIT_SAMPLES = 5;

/** Expressions per second of wall-clock time, and per second of this process's CPU time. */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const meanLength = (corpus: readonly string[]) =>
  Math.round(corpus.reduce((sum, e) => sum + e.length, 0) / corpus.length);
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

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

function wasmRound(corpus: readonly string[], run: (expr: string) => unknown, seconds: number): Rate {
  let count = 0;
  const start = performance.now();
  const startCpu = cpuSeconds();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (const expr of corpus) run(expr);
    count += corpus.length;
    elapsed = performance.now() - start;
  }
  return { wall: count / (elapsed / 1000), cpu: count / (cpuSeconds() - startCpu) };
}

/**
 * The native program stays up for the whole run, as the wasm instance does, so both sides are measured
 * warm, for the same time per round.
 */
function startNative(corpora: Record<string, readonly string[]>) {
  const child = spawn(NATIVE, ['bench'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  child.stdin.write(`${JSON.stringify(corpora)}\n`);
  return {
    async round(corpus: string, seconds: number): Promise<Rate> {
      child.stdin.write(`${JSON.stringify({ corpus, milliseconds: seconds * 1000 })}\n`);
      const line = await lines.next();
      if (line.done) throw new Error(`${NATIVE} bench exited early (status ${child.exitCode})`);
      const { expressions, nanoseconds, cpuNanoseconds } = JSON.parse(line.value) as Record<string, number>;
      return { wall: expressions! / (nanoseconds! / 1e9), cpu: expressions! / (cpuNanoseconds! / 1e9) };
    },
    async stop(): Promise<void> {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const loadBefore = loadavg()[0]!;
const wasmBytes = statSync(fileURLToPath(WASM_URL)).size;
const inits = initMilliseconds();
await init();
const flags = optionFlags();
const api = (expr: string) => parse(expr);
const shim = (expr: string) => callShim('parse', expr, flags);
const corpora = { short: SHORT, medium: MEDIUM, long: LONG };
const everything = [...SHORT, ...MEDIUM, ...LONG];
const native = startNative({ ...corpora, everything });
// V8 compiles wasm with its baseline tier first and optimises hot functions in the background; the
// native side gets the same warm-up (its heap and collector pacing settle).
wasmRound(everything, api, WARM_UP_SECONDS);
await native.round('everything', WARM_UP_SECONDS);

// The three columns take turns round by round, so a burst of load on a shared machine hits them alike.
const rows = [];
for (const [name, corpus] of Object.entries(corpora)) {
  const rounds: { api: Rate; shim: Rate; native: Rate }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push({
      api: wasmRound(corpus, api, SECONDS_PER_ROUND),
      shim: wasmRound(corpus, shim, SECONDS_PER_ROUND),
      native: await native.round(name, SECONDS_PER_ROUND),
    });
  }
  const pick = (clock: keyof Rate) => {
    const of = (column: 'api' | 'shim' | 'native') => median(rounds.map((round) => round[column][clock]));
    return {
      api: of('api'),
      shim: of('shim'),
      native: of('native'),
      ratio: median(rounds.map((round) => round.shim[clock] / round.native[clock])),
    };
  };
  rows.push({ name, chars: meanLength(corpus), wall: pick('wall'), cpu: pick('cpu') });
}
await native.stop();

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`wasm size            ${(wasmBytes / 1024 / 1024).toFixed(1)} MiB (${wasmBytes} bytes)`);
console.log(
  `init (fresh process) median ${median(inits).toFixed(0)} ms, samples ${inits.map((ms) => ms.toFixed(0)).join(', ')}`,
);
for (const clock of ['wall', 'cpu'] as const) {
  console.log(
    clock === 'wall'
      ? '\nexpressions per second of wall-clock time (median of rounds)'
      : '\nexpressions per second of CPU time of the measuring process (median of rounds; what an idle core would give)',
  );
  console.log('corpus   mean chars   parse() expr/s   wasm shim expr/s   native Go expr/s   wasm/native');
  for (const row of rows) {
    const figures = row[clock];
    console.log(
      `${row.name.padEnd(8)} ${String(row.chars).padStart(10)} ${fmt(figures.api).padStart(16)} ${fmt(figures.shim).padStart(18)} ${fmt(figures.native).padStart(18)} ${figures.ratio.toFixed(2).padStart(13)}`,
    );
  }
}
console.log(
  '\nparse() includes JSON.parse of the tree; the shim and native columns do the same work: parse and render JSON.',
);
console.log(
  `${ROUNDS} rounds of ${SECONDS_PER_ROUND} s per column, interleaved; ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after.`,
);
