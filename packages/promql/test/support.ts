import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const goDir = path.join(packageDir, 'go');
export const NATIVE = path.join(packageDir, 'dist', 'promql-native');

export interface OracleRequest {
  readonly expr: string;
  readonly flags: number;
  readonly prettify?: boolean;
}

/** The same shim, natively compiled by the machine's Go: its JSON is what the wasm must return. */
export function nativeOracle(requests: readonly OracleRequest[]): string[] {
  const input = `${requests.map((request) => JSON.stringify(request)).join('\n')}\n`;
  const result = spawnSync(NATIVE, ['oracle'], { input, maxBuffer: 2 ** 31 - 1, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`native oracle failed: ${result.stderr || result.error}`);
  const lines = result.stdout.split('\n');
  lines.pop();
  if (lines.length !== requests.length)
    throw new Error(`native oracle answered ${lines.length} of ${requests.length}`);
  return lines;
}

/**
 * Whether the wasm answered as the native build did. One documented exception: upstream converts an
 * `@` timestamp to milliseconds with a float-to-int64 conversion that overflows past ~292 million
 * years, and Go defines that overflow per platform (amd64 gives MinInt64, wasm saturates); both are
 * the same garbage value, which JavaScript cannot represent exactly anyway. It shows as the AST's
 * `"at"` milliseconds and as the seconds prettify prints after `@`.
 */
export function sameAsNative(wasm: string, native: string | undefined): boolean {
  const comparable = (raw: string) =>
    raw
      .replace(/"at":-?922337203685477580[78]\b/g, '"at":"overflow"')
      .replace(/@ -?9223372036854776\.000\b/g, '@ overflow');
  return native !== undefined && (wasm === native || comparable(wasm) === comparable(native));
}

/** The pinned Prometheus module in the Go module cache, downloaded if a fresh machine lacks it. */
export function prometheusModuleDir(): string {
  const go = (...args: string[]) => execFileSync('go', args, { cwd: goDir, encoding: 'utf8' }).trim();
  const version = go('list', '-m', '-f', '{{.Version}}', 'github.com/prometheus/prometheus');
  const dir = path.join(go('env', 'GOMODCACHE'), `github.com/prometheus/prometheus@${version}`);
  if (!existsSync(dir)) go('mod', 'download', `github.com/prometheus/prometheus@${version}`);
  return dir;
}

/** Every `input:` string of upstream's parser tests (promql/parser/parse_test.go). */
export function upstreamParserInputs(moduleDir: string): string[] {
  const file = path.join(moduleDir, 'promql', 'parser', 'parse_test.go');
  return JSON.parse(
    execFileSync(NATIVE, ['inputs', file], { encoding: 'utf8', maxBuffer: 2 ** 28 }),
  ) as string[];
}

// The two `eval` line forms of promqltest's scripting language.
const EVAL_INSTANT = /^eval(?:_(?:fail|warn|ordered|info))?\s+instant\s+(?:at\s+(?:.+?))?\s+(.+)$/;
const EVAL_RANGE = /^eval(?:_(?:fail|warn|info))?\s+range\s+from\s+.+\s+to\s+.+\s+step\s+.+?\s+(.+)$/;

/** The expression of every `eval` line in upstream's promql/promqltest/testdata/*.test. */
export function upstreamEvalExpressions(moduleDir: string): string[] {
  const dir = path.join(moduleDir, 'promql', 'promqltest', 'testdata');
  const found: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.test'))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const match = EVAL_INSTANT.exec(line.trim()) ?? EVAL_RANGE.exec(line.trim());
      if (match) found.push(match[1]!);
    }
  }
  return found;
}
