import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { O11yError, type ToolName, toolPath } from '@o11y/core';

/**
 * Start the pinned Prometheus / Alertmanager programs for tests: on 127.0.0.1, a free port, waited
 * on until ready, and stopped (with their children) afterwards.
 */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Everything the program printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly binary: string;
  /** Arguments, given the port to listen on. */
  readonly args: (port: number) => readonly string[];
  readonly readyPath?: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/**
 * The path of a pinned tool: `$O11Y_TOOLS_BIN/<name>` when that variable is set (a toolchain built
 * elsewhere), else `.tools/bin/<name>` of the project.
 */
export function toolBinary(name: ToolName): string {
  const dir = process.env.O11Y_TOOLS_BIN;
  if (dir) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return toolPath(name);
}

/** A port nothing listens on right now (the OS picks it; another process could still take it). */
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

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(options.binary, [...options.args(port)], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (!running) {
      throw new O11yError(
        `${path.basename(options.binary)} exited before it was ready:\n${output.slice(-2000)}`,
      );
    }
    try {
      const response = await fetch(`${url}${options.readyPath ?? '/-/ready'}`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new O11yError(
        `${path.basename(options.binary)} was not ready within ${options.timeoutMs ?? 30_000} ms:\n${output.slice(-2000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, output: () => output, stop };
}

/** Prometheus with `--web.enable-lifecycle` (for /-/reload), storing its data under `dataDir`. */
export function startPrometheus(configFile: string, dataDir: string): Promise<RunningServer> {
  return startServer({
    binary: toolBinary('prometheus'),
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
    ],
  });
}

/** Alertmanager without clustering, storing its data under `dataDir`. */
export function startAlertmanager(configFile: string, dataDir: string): Promise<RunningServer> {
  return startServer({
    binary: toolBinary('alertmanager'),
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
  });
}
