import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { O11yError } from '@o11y/core';
import { optionFlags, type ParserOptions } from './wasm.ts';

/** One error the pinned `promtool check rules` reports for a rule file. */
export interface RuleFileProblem {
  readonly message: string;
  /** Where the error is (1-based), when upstream names a position. */
  readonly line?: number;
  readonly column?: number;
  /** The group and the rule in it (1-based) an error about one rule is about, when it names no position. */
  readonly group?: string;
  readonly rule?: number;
}

/** upstream's rulefmt built natively (go/cmd/rules-native: why not wasm). */
const VALIDATOR = fileURLToPath(new URL('../dist/rules-native', import.meta.url));

/** The bit of go/rules (SkipExpressions) that leaves every expression unparsed. */
const SKIP_EXPRESSIONS = 1 << 8;

/**
 * Validates Prometheus rule files with upstream's own rulefmt, as the pinned `promtool check rules`
 * does: unknown fields, duplicate keys, durations, PromQL (with the given parser features), label
 * and annotation names, and the Go templates of alerts' labels and annotations. With
 * `expressions: false` the PromQL is left to the caller, who parses it with the same parser anyway
 * (about a tenth of the time). One process validates all the texts; the result has one list per text,
 * in order. Any text gives a result; only a validator that is not built or cannot run rejects.
 */
export async function validateRuleFiles(
  texts: readonly string[],
  options?: ParserOptions,
  { expressions = true }: { readonly expressions?: boolean } = {},
): Promise<RuleFileProblem[][]> {
  if (texts.length === 0) return [];
  if (!existsSync(VALIDATOR)) {
    throw new O11yError('the rule file validator (packages/promql/dist/rules-native) has not been built', {
      id: 'promql/not-built',
      hint: 'run `npm run build -w @o11y/promql` (needs Go 1.26+), or `npm run build` at the root',
    });
  }
  const flags = optionFlags(options) | (expressions ? 0 : SKIP_EXPRESSIONS);
  const output = await run(texts.map((text) => `${JSON.stringify({ text, flags })}\n`));
  const results = output.split('\n', texts.length);
  if (results.length !== texts.length || results.at(-1) === '')
    throw failure(`${results.length} results for ${texts.length} rule files`);
  return results.map((line) => (JSON.parse(line) as { problems: RuleFileProblem[] }).problems);
}

/**
 * Runs the validator with its requests and results in files rather than pipes: it then works through
 * every file on the other core while this thread is busy (lint parses the project meanwhile), where a
 * pipe would stall it once 64 KiB sit unread.
 */
async function run(requests: readonly string[]): Promise<string> {
  // Synchronous up to the spawn: the caller's next synchronous work then already overlaps.
  const scratch = mkdtempSync(path.join(tmpdir(), 'o11y-rules-'));
  try {
    const input = path.join(scratch, 'requests');
    const output = path.join(scratch, 'results');
    writeFileSync(input, requests.join(''));
    const stdin = openSync(input, 'r');
    const stdout = openSync(output, 'w');
    let child: ChildProcess;
    try {
      child = spawn(VALIDATOR, [], { stdio: [stdin, stdout, 'pipe'] });
    } finally {
      closeSync(stdin);
      closeSync(stdout);
    }
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    await new Promise<void>((resolve, reject) => {
      child.on('error', (error) => reject(failure(error.message)));
      child.on('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(failure(Buffer.concat(stderr).toString('utf8').trim() || `exit ${code ?? signal}`));
      });
    });
    return await readFile(output, 'utf8');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function failure(reason: string): O11yError {
  return new O11yError(`the rule file validator (packages/promql/dist/rules-native) failed: ${reason}`, {
    id: 'promql/validator-failed',
    hint: 'rebuild it with `npm run build -w @o11y/promql`; if it fails again, report the message above',
  });
}
