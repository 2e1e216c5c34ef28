import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { O11yError } from '@o11y/core';

const LOG_LINES_KEPT = 400;
const START_ATTEMPTS = 3;

export interface RunningAlertmanager {
  readonly url: string;
  /** The last lines Alertmanager logged, for failure reports. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** A port the OS considers free now; the bind race is handled by retrying the start. */
function freePort(): Promise<number> {
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

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 5000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 5000);
  }
}

/** Polls /-/ready until Alertmanager answers, exits, or the time is up. */
async function waitUntilReady(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) return 'exited';
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return 'ready';
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 'timeout';
}

/**
 * Starts the pinned Alertmanager on 127.0.0.1 with a free port, clustering off and its own storage
 * directory, and waits until it is ready. On any failure the process is killed and the error carries
 * its last log lines; a process left running when Node exits is killed too.
 */
export async function startAlertmanager(
  binary: string,
  configYaml: string,
  options: { readyTimeoutMs?: number } = {},
): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-alertmanager-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, configYaml);
  const logs: string[] = [];
  const tail = (lines = 40) => logs.slice(-lines).join('\n');
  let lastFailure = '';
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const collect = (chunk: Buffer) => {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (logs.length > LOG_LINES_KEPT) logs.splice(0, logs.length - LOG_LINES_KEPT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const state = await Promise.race([
      waitUntilReady(child, url, options.readyTimeoutMs ?? 20_000),
      spawnError,
    ]);
    const stop = async () => {
      await stopProcess(child);
      process.removeListener('exit', killOnExit);
    };
    if (state === 'ready') {
      return {
        url,
        logTail: tail,
        stop: async () => {
          await stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stop();
    if (state instanceof Error) {
      lastFailure = state.message;
      break;
    }
    lastFailure =
      state === 'timeout' ? 'it did not become ready in time' : `it exited with code ${child.exitCode}`;
    if (!/address already in use/i.test(tail(5))) break;
  }
  await rm(dir, { recursive: true, force: true });
  throw new O11yError(`Alertmanager did not start: ${lastFailure}\n${tail()}`, {
    id: 'alertmanager/start',
    hint: 'the lines above are Alertmanager’s log',
  });
}
