// How far a large build lets its thread's heap grow between full collections.
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * The growth, in percent of the live heap, that this thread's heap may take between full collections
 * while a lint worker runs beside it. Left to itself, V8 lets a heap grow to up to four times what it
 * held at its last full collection; the build's thread has its last one during load, and at 1,000
 * services grew from 142 MB live to 600–670 MB by the end of emit, when the worker's heap peaks too.
 * Measured at 1,000 services (peak RSS, before the dashboards were emitted first): 25 % gave 1,013–1,025
 * MiB, 40 % 1,053–1,165, unheld 1,260–1,314. With the build as it is now, 8 pairs of rebuilds: 15 %
 * 913–967 MiB against 25 %'s 942–1,027 (one over 1 GiB), for 1.07× the time.
 */
const HELD_HEAP_GROWTH_PERCENT = 15;

/** V8 options a user may have given node for its heap: the build then leaves the heap as they set it. */
const USER_HEAP_OPTIONS =
  /--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size|optimize[-_]for[-_]size)\b/;

let holders = 0;

/**
 * Holds this thread's heap growth to HELD_HEAP_GROWTH_PERCENT until the returned function is called
 * (once per hold; the last release restores V8's own choice). V8's option is the process's, so a
 * worker holds too, within its own heap bound. A full collection starts the hold: the limit load
 * left would otherwise stand until the heap reached it.
 */
export function holdHeapGrowth(): () => void {
  if (USER_HEAP_OPTIONS.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ')))
    return () => {};
  if (holders++ === 0) {
    v8.setFlagsFromString(`--heap-growing-percent=${HELD_HEAP_GROWTH_PERCENT}`);
    collectGarbage();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) v8.setFlagsFromString('--heap-growing-percent=0');
  };
}

/** A full collection now, through V8's `gc` (exposed to one new context only, unless node exposes it). */
function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
    v8.setFlagsFromString('--no-expose-gc');
  }
  gc();
}
