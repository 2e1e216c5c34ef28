import { afterEach } from 'vitest';

/**
 * Many tests block their worker on a child process (spawnSync of the real CLI, promtool, git). Between
 * tests the runner only chains promises, so vitest's replies to the worker wait until some test yields;
 * after 60 s of back-to-back blocking tests (a busy machine, a file of many spawns) the worker's call
 * times out and the run fails with "Timeout calling onTaskUpdate". One turn of the event loop after
 * each test lets the replies in.
 */
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
