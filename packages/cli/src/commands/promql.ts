import { formatDiagnostic, toDiagnostics } from '@o11y/core';
import type { ParserOptions, PromQLError } from '@o11y/promql';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';

const HELP = `Usage: o11y promql parse [options] <expr>
       o11y promql fmt [options] <expr>

Parses a PromQL expression with the pinned Prometheus parser (compiled to WebAssembly).
  parse   prints the syntax tree as JSON: node types, positions (UTF-16 offsets), durations in ms
  fmt     prints the expression as Prometheus prettifies it (promtool promql format)
Invalid expressions are printed with a caret under each error.

  --experimental-functions     enable experimental functions and aggregations
  --extended-range-selectors   enable the anchored and smoothed modifiers
  --binop-fill-modifiers       enable fill(), fill_left(), fill_right()
  --no-duration-expressions    disable duration expressions (on by default, as in Prometheus)

Exit codes: 0 valid, 1 invalid expression, 2 usage error or parser not built.`;

const ACTIONS = ['parse', 'fmt'] as const;

/** The line of `expr` holding the error, and a caret line under its span (at least one caret). */
export function caretLines(expr: string, error: PromQLError): string {
  const lineStart = expr.lastIndexOf('\n', error.start - 1) + 1;
  const newline = expr.indexOf('\n', error.start);
  const lineEnd = newline === -1 ? expr.length : newline;
  const line = expr.slice(lineStart, lineEnd);
  // Keep tabs so the caret lines up under tab-indented text.
  const padding = line.slice(0, error.start - lineStart).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(error.end, lineEnd) - error.start);
  return `  ${line}\n  ${padding}${'^'.repeat(width)}`;
}

export const command: Command = {
  name: 'promql',
  summary: 'Parse (AST as JSON) or prettify a PromQL expression with the real Prometheus parser',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        'experimental-functions': { type: 'boolean' },
        'extended-range-selectors': { type: 'boolean' },
        'binop-fill-modifiers': { type: 'boolean' },
        'no-duration-expressions': { type: 'boolean' },
      },
      true,
    );
    const [action, expr, ...rest] = positionals;
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw new UsageError('expected `parse` or `fmt`');
    if (expr === undefined) throw new UsageError(`o11y promql ${action} needs an expression`);
    if (rest.length > 0)
      throw new UsageError(`unexpected arguments: ${rest.join(' ')} (quote the expression)`);
    const options: ParserOptions = {
      experimentalFunctions: values['experimental-functions'] ?? false,
      extendedRangeSelectors: values['extended-range-selectors'] ?? false,
      binopFillModifiers: values['binop-fill-modifiers'] ?? false,
      durationExpressions: !values['no-duration-expressions'],
    };
    const { init, parse, prettify } = await import('@o11y/promql');
    try {
      await init();
    } catch (error) {
      for (const diagnostic of toDiagnostics(error)) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
      return EXIT.usage;
    }
    const result = parse(expr, options);
    if (!result.ok) {
      for (const error of result.errors) {
        io.stderr(`error at ${error.line}:${error.column}: ${error.message}\n${caretLines(expr, error)}\n`);
      }
      return EXIT.findings;
    }
    const text =
      action === 'fmt'
        ? prettify(expr, options)
        : JSON.stringify({ type: result.type, expr: result.expr }, null, 2);
    io.stdout(`${text}\n`);
    return EXIT.ok;
  },
};
