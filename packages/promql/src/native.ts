import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { O11yError } from '@o11y/core';

/** A program of this package built natively by scripts/build.mjs, and what it is, for messages. */
export interface NativeProgram {
  readonly file: string;
  readonly what: string;
}

const where = (program: NativeProgram) => `packages/promql/dist/${program.file}`;

/**
 * Runs `program` once over `requests` (one JSON line each) and gives its whole output; in the
 * `background`, at a lower priority than this process. Requests and
 * results go through files rather than pipes: the program then works through every request on the
 * other core while this thread is busy, where a pipe would stall it once 64 KiB sit unread. Everything
 * up to the spawn is synchronous, so the caller's next synchronous work already overlaps.
 */
export async function runNative(
  program: NativeProgram,
  args: readonly string[],
  requests: readonly string[],
  { background = false }: { readonly background?: boolean } = {},
): Promise<string> {
  const executable = fileURLToPath(new URL(`../dist/${program.file}`, import.meta.url));
  if (!existsSync(executable)) {
    throw new O11yError(`${program.what} (${where(program)}) has not been built`, {
      id: 'promql/not-built',
      hint: 'run `npm run build -w @o11y/promql` (needs Go 1.26+), or `npm run build` at the root',
    });
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'o11y-promql-'));
  try {
    const input = path.join(scratch, 'requests');
    const output = path.join(scratch, 'results');
    writeFileSync(input, requests.join(''));
    const stdin = openSync(input, 'r');
    const stdout = openSync(output, 'w');
    let child: ChildProcess;
    try {
      child = spawn(executable, args, { stdio: [stdin, stdout, 'pipe'] });
    } finally {
      closeSync(stdin);
      closeSync(stdout);
    }
    // A result the caller needs only later yields the cores to work it needs now.
    if (background && child.pid !== undefined) setPriority(child.pid, 10);
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    await new Promise<void>((resolve, reject) => {
      child.on('error', (error) => reject(nativeFailure(program, error.message)));
      child.on('close', (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            nativeFailure(program, Buffer.concat(stderr).toString('utf8').trim() || `exit ${code ?? signal}`),
          );
      });
    });
    return await readFile(output, 'utf8');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The program's output as one line per request, or the failure of a program that answered fewer. */
export function resultLines(program: NativeProgram, output: string, count: number): string[] {
  const lines = output.split('\n', count);
  if (lines.length !== count || lines.at(-1) === '')
    throw nativeFailure(program, `${lines.length} results for ${count} requests`);
  return lines;
}

function nativeFailure(program: NativeProgram, reason: string): O11yError {
  return new O11yError(`${program.what} (${where(program)}) failed: ${reason}`, {
    id: 'promql/native-failed',
    hint: 'rebuild it with `npm run build -w @o11y/promql`; if it fails again, report the message above',
  });
}
