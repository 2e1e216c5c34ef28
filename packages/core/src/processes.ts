import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { O11yError } from './errors.ts';
import { toolPath } from './tools.ts';

/**
 * Running the pinned Prometheus and Alertmanager (or any local server) for tests and the end-to-end
 * stack: on 127.0.0.1 with a free port, waited on until ready, always stopped, killed if Node exits.
 */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The last lines the program logged, for failure reports. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly binary: string;
  /** Arguments, given the port to listen on. */
  readonly args: (port: number) => readonly string[];
  /** Polled until it answers 2xx (default `/-/ready`). */
  readonly readyPath?: string;
  /** For a server that speaks no HTTP (a database): polled instead of `readyPath` until it says ready. */
  readonly ready?: (port: number) => Promise<boolean>;
  readonly cwd?: string;
  /** Added to the environment the program inherits. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user and group (a database refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
}

const LOG_LINES_KEPT = 400;
/** The free port is only free when we looked: another process may bind it first, so retry then. */
const START_ATTEMPTS = 3;

/**
 * Children still running, killed if Node exits first: one `exit` listener for all of them (a stack
 * runs more servers than Node's default of ten listeners per event before it warns).
 */
const running = new Set<ChildProcess>();
let exitListenerAdded = false;

function killOnExit(child: ChildProcess): void {
  if (!exitListenerAdded) process.on('exit', killRunning);
  exitListenerAdded = true;
  running.add(child);
}

function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** A port the OS considers free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 5000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 5000);
  }
}

/** Whether an HTTP server answers `url` with 2xx. */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    // Not listening yet.
    return false;
  }
}

async function waitUntilReady(
  child: ChildProcess,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) return 'exited';
    if (await ready()) return 'ready';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 'timeout';
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const name = path.basename(options.binary);
  const logs: string[] = [];
  const logTail = (lines = 40) => logs.slice(-lines).join('\n');
  let lastFailure = '';
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(options.binary, [...options.args(port)], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      ...(options.uid !== undefined && { uid: options.uid }),
      ...(options.gid !== undefined && { gid: options.gid }),
    });
    killOnExit(child);
    // Judged on every line this attempt logged: a crash's stack trace puts the message far from the end.
    // A chunk may end mid-line: its last piece waits for the next chunk of the same stream.
    let portTaken = false;
    const keep = (lines: readonly string[]) => {
      portTaken ||= lines.some((line) => /address already in use/i.test(line));
      logs.push(...lines.filter(Boolean));
      if (logs.length > LOG_LINES_KEPT) logs.splice(0, logs.length - LOG_LINES_KEPT);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const pieces = (partial + chunk.toString('utf8')).split('\n');
        partial = pieces.pop()!;
        keep(pieces);
      });
      stream?.on('end', () => keep([partial]));
    }
    const stop = async () => {
      await stopProcess(child);
      running.delete(child);
    };
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    // After its exit, a program's last output may still be in its pipes: `close` comes once they are read.
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const ready = options.ready
      ? () => options.ready!(port)
      : () => answers(`${url}${options.readyPath ?? '/-/ready'}`);
    const state = await Promise.race([waitUntilReady(child, ready, options.timeoutMs ?? 30_000), spawnError]);
    if (state === 'ready') return { url, port, logTail, stop };
    await stop();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (state instanceof Error) {
      lastFailure = state.message;
      break;
    }
    lastFailure =
      state === 'timeout' ? 'it did not become ready in time' : `it exited with code ${child.exitCode}`;
    if (!portTaken) break;
  }
  throw new O11yError(`${name} did not start: ${lastFailure}\n${logTail()}`, {
    id: 'process/start',
    hint: `the lines above are ${name}'s log`,
  });
}

/** The pinned Prometheus with `--web.enable-lifecycle` (for /-/reload), storing its data in `dataDir`. */
export function startPrometheus(
  configFile: string,
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<RunningServer> {
  return startServer({
    binary: toolPath('prometheus'),
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...extraArgs,
    ],
  });
}

/** The pinned Alertmanager without clustering, storing its data in `dataDir`. */
export function startAlertmanager(
  configFile: string,
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<RunningServer> {
  return startServer({
    binary: toolPath('alertmanager'),
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      ...extraArgs,
    ],
  });
}
