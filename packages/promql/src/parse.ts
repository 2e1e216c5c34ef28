import { O11yError } from '@o11y/core';
import type { Node, ParseResult, PromQLError } from './ast.ts';
import { type NativeProgram, resultLines, runNative } from './native.ts';
import { walk } from './walk.ts';
import { callShim, optionFlags, type ParserOptions } from './wasm.ts';

/**
 * Parses `expr` with the pinned Prometheus parser. Never throws for any input (after `init()`):
 * invalid PromQL gives `{ ok: false, errors }` with upstream's messages and positions.
 */
export function parse(expr: string, options?: ParserOptions): ParseResult {
  return fromShim(callShim('parse', expr, optionFlags(options)));
}

/** The native build of the same shim as the wasm (go/cmd/native), in its request-per-line mode. */
const NATIVE_PARSER: NativeProgram = { file: 'promql-native', what: 'the native PromQL parser' };

/**
 * Parses many expressions at once, giving the same results as `parse` for each, in order (the two are
 * the same Go code built twice; test/fidelity.test.ts holds them to it). One native process parses
 * them all, about six times faster than the single-threaded wasm instance, and needs no `init()`:
 * for a whole project's or rule file's expressions rather than one at a time.
 */
export async function parseAll(exprs: readonly string[], options?: ParserOptions): Promise<ParseResult[]> {
  return (await nativeResults(exprs, options)).map(fromShim);
}

/**
 * The errors of each expression that does not parse, as `parseAll` gives them (undefined for one that
 * parses), without the syntax trees of the others: the native parser only checks them. A check of
 * validity, such as the build's of every rule and query before promtool, costs the parse alone; the
 * trees' JSON would be about 100 M characters at 1,000 services.
 */
export async function parseErrors(
  exprs: readonly string[],
  options?: ParserOptions,
): Promise<(readonly PromQLError[] | undefined)[]> {
  return (await nativeResults(exprs, options, { check: true })).map((line) => {
    const result = fromShim(line);
    return result.ok ? undefined : result.errors;
  });
}

/** One result line of the native parser per expression, in order: its tree, or with `check` its validity. */
async function nativeResults(
  exprs: readonly string[],
  options?: ParserOptions,
  mode: { readonly check?: true } = {},
): Promise<string[]> {
  if (exprs.length === 0) return [];
  const flags = optionFlags(options);
  const output = await runNative(
    NATIVE_PARSER,
    ['oracle'],
    exprs.map((expr) => `${JSON.stringify({ expr, flags, ...mode })}\n`),
  );
  return resultLines(NATIVE_PARSER, output, exprs.length);
}

/** A parse result as the shim writes it, with the non-finite numbers JSON cannot hold restored. */
function fromShim(json: string): ParseResult {
  const result = JSON.parse(json) as ParseResult & { nonFinite?: true };
  if (result.nonFinite) {
    delete result.nonFinite;
    if (result.ok) restoreNonFinite(result.expr);
  }
  return result;
}

/** Invalid PromQL given where only valid PromQL makes sense (`prettify`); carries every positioned error. */
export class PromQLParseError extends O11yError {
  constructor(
    readonly expr: string,
    readonly errors: readonly PromQLError[],
  ) {
    const first = errors[0]!;
    super(`invalid PromQL at ${first.line}:${first.column}: ${first.message}`, {
      id: 'promql/parse',
      hint: 'fix the expression; `o11y promql parse <expr>` shows every error under the expression',
    });
    this.name = 'PromQLParseError';
  }
}

/**
 * Upstream's prettified form of `expr` (what `promtool promql format` prints). Formatting only makes
 * sense for valid PromQL, so invalid input throws a `PromQLParseError` holding the same positioned
 * errors `parse` returns; call `parse` first to handle errors without exceptions.
 */
export function prettify(expr: string, options?: ParserOptions): string {
  const result = JSON.parse(callShim('prettify', expr, optionFlags(options))) as
    | { ok: true; text: string }
    | { ok: false; errors: PromQLError[] };
  if (!result.ok) throw new PromQLParseError(expr, result.errors);
  return result.text;
}

const NON_FINITE: Record<string, number> = { '+Inf': Infinity, '-Inf': -Infinity, NaN: Number.NaN };

/** JSON has no Inf or NaN, so the shim writes them as strings and flags the result; turn them back. */
function restoreNonFinite(root: Node): void {
  const toNumber = (value: unknown) => (typeof value === 'string' ? NON_FINITE[value] : value) as number;
  walk(root, (node) => {
    const mutable = node as { value?: unknown; matching?: { fill?: { lhs?: unknown; rhs?: unknown } } };
    if (node.type === 'Number') mutable.value = toNumber(mutable.value);
    const fill = mutable.matching?.fill;
    if (fill) {
      if (fill.lhs !== undefined) fill.lhs = toNumber(fill.lhs);
      if (fill.rhs !== undefined) fill.rhs = toNumber(fill.rhs);
    }
  });
}
