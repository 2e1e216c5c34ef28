import { compareCodePoints } from '@o11y/core';
import type { Node, ParseResult, PromQLError, Span } from './ast.ts';
import { parse, parseAll, parseErrors } from './parse.ts';
import { walk } from './walk.ts';
import { init, type ParserOptions } from './wasm.ts';

/** Declared dashboard variables: names, or names with their current or possible values. */
export type DashboardVariables = Readonly<Record<string, string | readonly string[]>> | readonly string[];

/** How a variable was replaced for parsing. */
export type PlaceholderKind = 'duration' | 'number' | 'identifier' | 'string';

/** One use of a Grafana variable in a dashboard query. */
export interface VariableUse extends Span {
  /** Without `$`, braces or format: `__rate_interval`, `job`. */
  readonly name: string;
  /** As written: `$job`, `${job:regex}`, `[[job]]`. */
  readonly text: string;
  /** The format of `${job:regex}` / `[[job:regex]]`. */
  readonly format?: string;
  /** One of Grafana's global variables (`$__interval`, `$__range_s`, …). */
  readonly builtin: boolean;
  /** Built in or declared. */
  readonly known: boolean;
  readonly kind: PlaceholderKind;
  /** What was parsed in its place; always as long as `text`, so positions stay those of the query. */
  readonly placeholder: string;
}

export type DashboardParseResult = ParseResult & {
  /** Every variable use, in order. */
  readonly variables: readonly VariableUse[];
  /** Names used but neither built in nor declared, sorted, each once. */
  readonly unknownVariables: readonly string[];
  /** The text that was parsed: the query with every variable replaced by its placeholder. */
  readonly parsedText: string;
};

/** Grafana's global variables and what they expand to. */
const BUILTINS: Readonly<Record<string, PlaceholderKind>> = {
  __auto: 'duration',
  __interval: 'duration',
  __range: 'duration',
  __rate_interval: 'duration',
  __interval_ms: 'number',
  __range_ms: 'number',
  __range_s: 'number',
  __rate_interval_ms: 'number',
  __from: 'number',
  __to: 'number',
  __dashboard: 'identifier',
  __name: 'identifier',
  __org: 'identifier',
  __user: 'identifier',
  __timezone: 'identifier',
};

// Grafana's own variable syntax: $name, [[name:format]], ${name.field:format}.
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.[^:^}]+)?(?::([^}]+))?\}/g;

/**
 * Parses a Grafana dashboard query. Each variable is replaced by a placeholder of the same length
 * that fits where it stands (a duration in `[…]` or after `offset`, a number, a label name, text in a
 * string), as Grafana's own editor does, so node and error positions are those of the original
 * query. Built-in durations are recognised again in the tree (`rangeVariable`, `stepVariable`,
 * `offsetVariable` on selectors and subqueries, `variable` on numbers) and unknown variables are
 * listed. Like `parse`, it never throws for any input.
 */
export function parseDashboardQuery(
  query: string,
  variables: DashboardVariables = [],
  options?: ParserOptions,
): DashboardParseResult {
  const prepared = prepare(query, variables);
  return finish(prepared, parse(prepared.parsedText, options), options);
}

/** A dashboard query to parse, with its dashboard's variables. */
export interface DashboardQuery {
  readonly query: string;
  readonly variables?: DashboardVariables;
}

/**
 * `parseDashboardQuery` for many queries at once, with the same results in order: every distinct
 * text is parsed once, by the native build of the parser (`parseAll`, one process on the other core).
 * Only a query that fails while a variable could be read two ways is parsed again, by the wasm
 * instance, which is loaded for it.
 */
export async function parseDashboardQueries(
  queries: readonly DashboardQuery[],
  options?: ParserOptions,
): Promise<DashboardParseResult[]> {
  const prepared = queries.map(({ query, variables = [] }) => prepare(query, variables));
  const sharing = new Map<string, number>();
  for (const { parsedText } of prepared) sharing.set(parsedText, (sharing.get(parsedText) ?? 0) + 1);
  const texts = [...sharing.keys()];
  const parsed = new Map((await parseAll(texts, options)).map((result, index) => [texts[index]!, result]));
  if (prepared.some((p) => !parsed.get(p.parsedText)!.ok && p.uses.some((use) => use.ambiguous)))
    await init();
  // Marking the variables changes the tree: a text several queries share gives each a copy of its own.
  return prepared.map((p) => {
    const result = parsed.get(p.parsedText)!;
    return finish(p, sharing.get(p.parsedText)! > 1 ? structuredClone(result) : result, options);
  });
}

/** What a build's verify reads of a dashboard query's parse: its errors and the variables nobody declared. */
export type DashboardQueryProblems =
  | { readonly ok: true; readonly unknownVariables: readonly string[] }
  | {
      readonly ok: false;
      readonly errors: readonly PromQLError[];
      readonly unknownVariables: readonly string[];
    };

/**
 * `parseDashboardQueries` reduced to the problems, in order, without decoding the syntax tree of any
 * query that parses (a large build's dashboards hold tens of thousands). A query that fails is finished
 * as `parseDashboardQueries` finishes it, other readings of its ambiguous variables tried.
 */
export async function dashboardQueryProblems(
  queries: readonly DashboardQuery[],
  options?: ParserOptions,
): Promise<DashboardQueryProblems[]> {
  const prepared = queries.map(({ query, variables = [] }) => prepare(query, variables));
  const texts = [...new Set(prepared.map((p) => p.parsedText))];
  const failed = new Map(
    (await parseErrors(texts, options)).map((errors, index) => [texts[index]!, errors] as const),
  );
  if (prepared.some((p) => failed.get(p.parsedText) && p.uses.some((use) => use.ambiguous))) await init();
  return prepared.map((p) => {
    const errors = failed.get(p.parsedText);
    if (!errors) return { ok: true, unknownVariables: unknownVariables(p.uses) };
    const result = finish(p, { ok: false, errors }, options);
    return result.ok
      ? { ok: true, unknownVariables: result.unknownVariables }
      : { ok: false, errors: result.errors, unknownVariables: result.unknownVariables };
  });
}

interface Prepared {
  readonly query: string;
  readonly uses: MutableUse[];
  readonly parsedText: string;
}

/** The query with every variable replaced by a placeholder, as first guessed. */
function prepare(query: string, variables: DashboardVariables): Prepared {
  const declared = declaredVariables(variables);
  const strings = stringRegions(query);
  const uses: MutableUse[] = [];
  let durationCount = 0;
  for (const match of query.matchAll(VARIABLE)) {
    const name = (match[1] ?? match[2] ?? match[4])!;
    // `$1` in a label_replace replacement is a regex group, not a variable.
    if (/^\d+$/.test(name)) continue;
    const start = match.index;
    const text = match[0];
    const builtin = Object.hasOwn(BUILTINS, name);
    const inString = strings.some((region) => start >= region.start && start < region.end);
    const kind = inString ? 'string' : placeholderKind(query, start, text.length, name, declared);
    const format = match[3] ?? match[5];
    uses.push({
      name,
      text,
      ...(format !== undefined && { format }),
      builtin,
      known: builtin || declared.has(name),
      kind,
      ambiguous: !inString && !builtin && kind !== 'duration' && !declared.get(name)?.length,
      start,
      end: start + text.length,
      placeholder: '',
      durationMs: undefined,
    });
    const use = uses[uses.length - 1]!;
    if (kind === 'duration') assignDuration(use, durationCount++);
    else use.placeholder = placeholderText(kind, text.length);
  }

  return { query, uses, parsedText: substitute(query, uses) };
}

/** The parse of the first guess, retried for ambiguous variables, with the variables marked in the tree. */
function finish(prepared: Prepared, firstResult: ParseResult, options?: ParserOptions): DashboardParseResult {
  const { query, uses } = prepared;
  let { parsedText } = prepared;
  let result = firstResult;
  // A variable with no declared values may be a label name or a number; if the first guess does not
  // parse, try the other reading of each such variable and keep what gets the parser further.
  for (const use of uses.filter((candidate) => candidate.ambiguous)) {
    if (result.ok) break;
    const previous = { kind: use.kind, placeholder: use.placeholder };
    use.kind = use.kind === 'number' ? 'identifier' : 'number';
    use.placeholder = placeholderText(use.kind, use.text.length);
    const retriedText = substitute(query, uses);
    const retried = parse(retriedText, options);
    if (retried.ok || firstErrorAt(retried) > firstErrorAt(result)) {
      result = retried;
      parsedText = retriedText;
    } else {
      Object.assign(use, previous);
    }
  }

  const publicUses = uses.map(({ ambiguous: _a, durationMs: _d, ...use }) => use as VariableUse);
  const common = { variables: publicUses, unknownVariables: unknownVariables(uses), parsedText };
  if (!result.ok)
    return { ok: false, errors: result.errors.map((error) => restoreText(error, uses)), ...common };
  annotate(result.expr, uses);
  return { ...result, ...common };
}

/** Names used but neither built in nor declared, sorted, each once. */
function unknownVariables(uses: readonly MutableUse[]): string[] {
  return [...new Set(uses.filter((use) => !use.known).map((use) => use.name))].sort(compareCodePoints);
}

type MutableUse = { -readonly [K in keyof VariableUse]: VariableUse[K] } & {
  /** Not declared with values and not in a duration position: a label name or a number. */
  ambiguous: boolean;
  /** The value, in ms, a duration placeholder parses to: unique within the query. */
  durationMs: number | undefined;
};

function declaredVariables(variables: DashboardVariables): Map<string, readonly string[]> {
  if (Array.isArray(variables)) return new Map(variables.map((name: string) => [name, []]));
  return new Map(
    Object.entries(variables as Record<string, string | readonly string[]>).map(([name, value]) => [
      name,
      typeof value === 'string' ? [value] : value,
    ]),
  );
}

/** Quoted strings and comments, where a variable is plain text to the parser. */
function stringRegions(query: string): Span[] {
  const regions: Span[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index]!;
    if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < query.length && query[end] !== char) end += char !== '`' && query[end] === '\\' ? 2 : 1;
      regions.push({ start: index, end: end + 1 });
      index = end + 1;
    } else if (char === '#') {
      const newline = query.indexOf('\n', index);
      const end = newline === -1 ? query.length : newline;
      regions.push({ start: index, end });
      index = end;
    } else {
      index++;
    }
  }
  return regions;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const OPERATOR = /[-+*/%^<>=!]/;

/** What a variable outside strings must stand in for, from its name, declared values or context. */
function placeholderKind(
  query: string,
  start: number,
  length: number,
  name: string,
  declared: ReadonlyMap<string, readonly string[]>,
): PlaceholderKind {
  const builtin = BUILTINS[name];
  if (builtin) return builtin;
  const before = query.slice(0, start).trimEnd();
  const after = query.slice(start + length).trimStart();
  if (insideBrackets(before) || /\boffset$/i.test(before)) return 'duration';
  const values = declared.get(name) ?? [];
  if (values.length > 0 && values.every((value) => DURATION.test(value))) return 'duration';
  if (values.length > 0 && values.every((value) => NUMBER.test(value))) return 'number';
  if (values.length > 0) return 'identifier';
  const glued = /\w$/.test(query.slice(0, start)) || /^\w/.test(query.slice(start + length));
  if (!glued && (OPERATOR.test(before.at(-1) ?? '') || OPERATOR.test(after[0] ?? ''))) return 'number';
  return 'identifier';
}

/** Whether the text before a position ends inside an open `[` (a range or subquery). */
function insideBrackets(before: string): boolean {
  const open = before.lastIndexOf('[');
  return open > before.lastIndexOf(']');
}

/**
 * Duration placeholders parse to a value unique within the query (`0999999998s`), so the node a
 * built-in duration ended up in can be found again after parsing.
 */
function assignDuration(use: MutableUse, index: number): void {
  const digits = use.text.length - 1;
  const significant = Math.min(digits, 9);
  const seconds = 10 ** significant - 1 - index;
  if (seconds < 1) {
    use.placeholder = placeholderText('number', use.text.length);
    return;
  }
  use.placeholder = `${String(seconds).padStart(digits, '0')}s`;
  use.durationMs = seconds * 1000;
}

function placeholderText(kind: PlaceholderKind, length: number): string {
  // `0…01` reads as 1 both as a decimal and as an octal number, and as 1ms…1y before a unit.
  if (kind === 'number' || kind === 'duration') return `${'0'.repeat(length - 1)}1`;
  return 'x'.repeat(length);
}

function substitute(query: string, uses: readonly MutableUse[]): string {
  let out = '';
  let index = 0;
  for (const use of uses) {
    out += query.slice(index, use.start) + use.placeholder;
    index = use.end;
  }
  return out + query.slice(index);
}

function firstErrorAt(result: ParseResult): number {
  return result.ok ? Number.POSITIVE_INFINITY : Math.min(...result.errors.map((error) => error.start));
}

/** Error messages quote the parsed text; show the variable as written instead of its placeholder. */
function restoreText(error: PromQLError, uses: readonly MutableUse[]): PromQLError {
  let message = error.message;
  for (const use of uses) {
    if (use.start < error.end + use.text.length && use.end > error.start - use.text.length) {
      message = message.replaceAll(use.placeholder, use.text);
    }
  }
  return message === error.message ? error : { ...error, message };
}

/** Marks where variables stood: numbers by their span, durations by their unique value inside the node. */
function annotate(root: Node, uses: readonly MutableUse[]): void {
  const durationIn = (node: Span, ms: number | undefined) =>
    ms === undefined
      ? undefined
      : uses.find((use) => use.durationMs === Math.abs(ms) && use.start >= node.start && use.end <= node.end)
          ?.name;
  walk(root, (node) => {
    const mutable = node as unknown as Record<string, unknown>;
    const mark = (field: string, name: string | undefined) => {
      if (name !== undefined) mutable[field] = name;
    };
    switch (node.type) {
      case 'Number':
        mark('variable', uses.find((use) => use.start === node.start && use.end === node.end)?.name);
        break;
      case 'MatrixSelector':
        mark('rangeVariable', durationIn(node, node.range));
        mark('offsetVariable', durationIn(node, node.selector.offset));
        break;
      case 'Subquery':
        mark('rangeVariable', durationIn(node, node.range));
        mark('stepVariable', durationIn(node, node.step));
        mark('offsetVariable', durationIn(node, node.offset));
        break;
      case 'VectorSelector':
        mark('offsetVariable', durationIn(node, node.offset));
        break;
    }
  });
}
