/**
 * LogQL parsed with Grafana's own grammar (@grafana/lezer-logql, the one its query editor uses).
 * Grafana's variables are replaced by placeholders of the same length before parsing, as the PromQL
 * side does, so positions are those of the query as written.
 */
import { parser } from '@grafana/lezer-logql';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface LogqlError extends Span {
  readonly message: string;
  /** 1-based line of `start`. */
  readonly line: number;
  /** 1-based column of `start` in UTF-16 code units. */
  readonly column: number;
}

export type LogqlParseResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errors: readonly LogqlError[] };

/** `$name`, `${name}`, `${name:format}` and `[[name]]`, as Grafana's template service matches them. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::\w+)?\]\]|\$\{(\w+)(?::[^}]+)?\}/g;

/** Whether text (a matcher's value) holds a Grafana variable: what it matches is only known once Grafana substitutes it. */
export function holdsVariable(text: string): boolean {
  return /\$\w|\$\{|\[\[/.test(text);
}

/** Where the string literals are: "…" with escapes, and `…` raw strings. */
function stringRegions(query: string): Span[] {
  const regions: Span[] = [];
  for (let i = 0; i < query.length; i++) {
    const quote = query[i];
    if (quote !== '"' && quote !== '`') continue;
    let end = i + 1;
    while (end < query.length && query[end] !== quote) end += quote === '"' && query[end] === '\\' ? 2 : 1;
    regions.push({ start: i, end: end + 1 });
    i = end;
  }
  return regions;
}

/**
 * The query with each variable outside a string replaced by text of the same length that the grammar
 * accepts where the variable stands: a duration inside `[…]` or after `offset` (`$__auto`,
 * `$__interval`, `$__range`), a number elsewhere (`topk($k, …)`). Inside strings they stay: Loki gets
 * the substituted text there, and the grammar reads any text.
 */
export function withPlaceholders(query: string): string {
  const strings = stringRegions(query);
  return query.replace(VARIABLE, (text, _plain, _bracket, _braced, offset: number) => {
    if (strings.some((s) => offset >= s.start && offset < s.end)) return text;
    const before = query.slice(0, offset).trimEnd();
    const duration = before.endsWith('[') || /\boffset$/.test(before);
    return (duration && text.length >= 2 ? '1s' : '1').padEnd(text.length, ' ');
  });
}

function lineAndColumn(query: string, offset: number): { line: number; column: number } {
  const before = query.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * Parses `query` (a log or metric query). Never throws. The grammar recovers from a mistake by
 * skipping text, so only the first error is reported: the ones after it follow from it.
 */
export function parseLogql(query: string): LogqlParseResult {
  const tree = parser.parse(withPlaceholders(query));
  let first: Span | undefined;
  tree.iterate({
    enter: (node) => {
      if (first) return false;
      if (node.type.isError) first = { start: node.from, end: node.to };
      return undefined;
    },
  });
  if (query.trim() === '') first = { start: 0, end: 0 };
  if (!first) return { ok: true };
  const token = /^\S{1,40}/.exec(query.slice(first.start))?.[0];
  const message = token
    ? `unexpected "${token}"`
    : first.start >= query.trimEnd().length
      ? 'the query ends where more was expected'
      : 'unexpected text';
  return {
    ok: false,
    errors: [
      {
        message,
        start: first.start,
        end: Math.max(first.end, first.start + (token?.length ?? 1)),
        ...lineAndColumn(query, first.start),
      },
    ],
  };
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface StreamMatcher extends Span {
  readonly label: string;
  readonly operator: MatchOperator;
  /** The unquoted value, as Loki compares it (variables inside it left as written). */
  readonly value: string;
}

export interface StreamSelector extends Span {
  readonly matchers: readonly StreamMatcher[];
}

export function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/**
 * The lines that show an error under the query: the line of the query it is on, then a caret under the
 * text it could not read (at least one, never past the end of that line), each indented by `indent`.
 */
export function caretLines(query: string, error: LogqlError, indent = '    '): string {
  const line = query.split('\n')[error.line - 1] ?? '';
  const width = Math.max(1, Math.min(error.end - error.start, line.length - error.column + 1));
  return `${indent}${line}\n${indent}${' '.repeat(error.column - 1)}${'^'.repeat(width)}`;
}

/** The stream selectors `{…}` of a query that parses, with their matchers, in the order written. */
export function streamSelectors(query: string): StreamSelector[] {
  const selectors: StreamSelector[] = [];
  const text = withPlaceholders(query);
  const cursor = parser.parse(text).cursor();
  do {
    if (cursor.name !== 'Selector') continue;
    const selector = { start: cursor.from, end: cursor.to, matchers: [] as StreamMatcher[] };
    const matchers = cursor.node.getChild('Matchers');
    for (const node of matchers ? collectMatchers(matchers) : []) {
      const label = node.getChild('Identifier');
      const operator =
        node.getChild('Eq') ?? node.getChild('Neq') ?? node.getChild('Re') ?? node.getChild('Nre');
      const value = node.getChild('String');
      if (!label || !operator || !value) continue;
      selector.matchers.push({
        label: text.slice(label.from, label.to),
        operator: text.slice(operator.from, operator.to) as MatchOperator,
        value: unquote(query.slice(value.from, value.to)),
        start: node.from,
        end: node.to,
      });
    }
    selectors.push(selector);
  } while (cursor.next());
  return selectors;
}

/** A node of the grammar's tree (its type is @lezer/common's, reached without depending on it). */
export type SyntaxNode = ReturnType<ReturnType<typeof parser.parse>['cursor']>['node'];

/** `Matchers` nests to the left (`Matchers , Matcher`), so the matchers are gathered in order. */
function collectMatchers(node: SyntaxNode): SyntaxNode[] {
  const nested = node.getChild('Matchers');
  const own = node.getChildren('Matcher');
  return [...(nested ? collectMatchers(nested) : []), ...own];
}
