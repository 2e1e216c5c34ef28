/**
 * Start-up of the `o11y` command as a user pays it: the whole process of `o11y --help` (every verb's
 * summary) and of `o11y <verb> --help` (that verb's module only), five runs each after one warm-up.
 * Issue 14's target: `o11y --help` ≤ 150 ms.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROUNDS = 5;
const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'o11y.mjs');
const verbs = readdirSync(path.join(here, '..', 'dist', 'commands'))
  .filter((file) => file.endsWith('.js'))
  .map((file) => file.slice(0, -'.js'.length));

function medianMs(args: readonly string[]): number {
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`o11y ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    if (round > 0) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const [one, five] = loadavg();
process.stdout.write(
  `startup: o11y --help median ${Math.round(medianMs(['--help']))} ms (target ≤ 150 ms)\n`,
);
for (const verb of verbs) {
  process.stdout.write(`startup: o11y ${verb} --help median ${Math.round(medianMs([verb, '--help']))} ms\n`);
}
process.stdout.write(
  `startup: load average ${one!.toFixed(1)} / ${five!.toFixed(1)} on ${cpus().length} cores, ${ROUNDS} runs each\n`,
);
