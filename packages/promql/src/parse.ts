import { O11yError } from '@o11y/core';
import type { Node, ParseResult, PromQLError } from './ast.ts';
import { walk } from './walk.ts';
import { callShim, optionFlags, type ParserOptions } from './wasm.ts';

/**
 * Parses `expr` with the pinned Prometheus parser. Never throws for any input (after `init()`):
 * invalid PromQL gives `{ ok: false, errors }` with upstream's messages and positions.
 */
export function parse(expr: string, options?: ParserOptions): ParseResult {
  const result = JSON.parse(callShim('parse', expr, optionFlags(options))) as ParseResult & {
    nonFinite?: true;
  };
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
