import { setFlagsFromString } from 'node:v8';
import type { ProjectModel } from '@o11y/core';
import { expressionCount } from './verify.ts';

/** Rules and dashboard queries from which a build paces its heaps (`paceHeaps`). */
export const PACED_HEAP_EXPRESSIONS = 3_000;

/**
 * How much V8 may grow a heap at each full collection, in percent of what survived it. Left to itself,
 * V8 grows a heap whose limit is 2 GiB or more (any machine with 8 GiB or more) up to 4× its live size
 * between collections. A 1,000-service build keeps about 500 MB live on each of its two threads: at 60 %
 * its peak was 12 % lower for 6 % more wall time; at 30 %, 19 % lower and 20 % slower
 * (packages/lint/README.md).
 */
export const HEAP_GROWING_PERCENT = 60;

/**
 * Paces a large build's heaps (`HEAP_GROWING_PERCENT`), from PACED_HEAP_EXPRESSIONS on. A small build's
 * heaps stay small, and pacing them only costs collections: 6 % of the sample's build when set from the
 * start. V8's flags are the process's: this holds for the threads started after it (the lint worker) and
 * for the rest of the process (the next builds of `o11y dev`). `o11y lint`, whose target is its time, is
 * not paced.
 */
export function paceHeaps(model: ProjectModel): boolean {
  if (expressionCount(model) < PACED_HEAP_EXPRESSIONS) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
