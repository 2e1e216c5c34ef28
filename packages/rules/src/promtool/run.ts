import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunOptions {
  /**
   * Stdout and stderr into one stream, in the order the program wrote them (both go to one file
   * descriptor): promtool says which file it checks on stdout and why it failed on stderr.
   */
  readonly mergeOutput?: boolean;
}

/** Runs a program and collects its output; never throws for a non-zero exit. */
export async function run(
  command: string,
  args: readonly string[],
  cwd: string,
  options: RunOptions = {},
): Promise<{ code: number; output: string }> {
  if (!options.mergeOutput) return collected(command, args, cwd);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-run-'));
  const file = path.join(scratch, 'output');
  const fd = openSync(file, 'w');
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, NO_COLOR: '1' },
      });
      child.on('error', reject);
      child.on('close', (exit) => resolve(exit ?? 1));
    });
    return { code, output: readFileSync(file, 'utf8') };
  } finally {
    closeSync(fd);
    rmSync(scratch, { recursive: true, force: true });
  }
}

function collected(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
