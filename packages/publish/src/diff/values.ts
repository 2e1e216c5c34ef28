import { compareCodePoints, stableStringify } from '@o11y/core';
import { diffLines } from './lines.ts';
import type { Change, DiffOptions } from './model.ts';

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A short readable rendering of a value for `before → after`. */
export function show(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return stableStringify(value)
    .trim()
    .replace(/\s*\n\s*/g, ' ');
}

export function equal(a: unknown, b: unknown): boolean {
  return stableStringify(a ?? null) === stableStringify(b ?? null);
}

/** A change of a PromQL expression, shown as a line diff of both prettified expressions. */
export function queryChange(
  kind: string,
  subject: string,
  before: string,
  after: string,
  options: DiffOptions,
): Change {
  const format = (expr: string) => {
    try {
      return options.formatQuery ? options.formatQuery(expr) : expr;
    } catch {
      return expr; // an expression the parser rejects is still worth showing as written
    }
  };
  // A new expression (an added rule) is all `+` lines, with no empty "before" to diff against.
  if (before === '')
    return {
      kind,
      subject,
      after,
      lines: format(after)
        .split('\n')
        .map((text) => ({ op: '+', text })),
    };
  return { kind, subject, before, after, lines: diffLines(format(before), format(after)) };
}

/** Changes of a label/annotation map: one per added, removed or changed key. */
export function mapChanges(kind: string, subject: string, before: unknown, after: unknown): Change[] {
  const a = asRecord(before);
  const b = asRecord(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareCodePoints);
  return keys
    .filter((key) => !equal(a[key], b[key]))
    .map((key) => ({
      kind,
      subject: `${subject} ${key}`,
      before: a[key] === undefined ? undefined : show(a[key]),
      after: b[key] === undefined ? undefined : show(b[key]),
    }));
}

/** Dotted paths whose values differ between two JSON values (at most `limit`), for the rest. */
export function changedPaths(
  before: unknown,
  after: unknown,
  ignore: ReadonlySet<string>,
  limit = 8,
  prefix = '',
): string[] {
  if (equal(before, after)) return [];
  const bothObjects =
    before !== null &&
    after !== null &&
    typeof before === 'object' &&
    typeof after === 'object' &&
    !Array.isArray(before) &&
    !Array.isArray(after);
  if (!bothObjects) return [prefix || '(value)'];
  const a = before as Json;
  const b = after as Json;
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareCodePoints)) {
    if (out.length >= limit) break;
    const path = prefix ? `${prefix}.${key}` : key;
    if (ignore.has(path)) continue;
    out.push(...changedPaths(a[key], b[key], ignore, limit - out.length, path));
  }
  return out;
}

/** A copy of a JSON object without some keys: what is compared when those are only positions or names. */
export function without(value: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** The value at a dotted path as `changedPaths` names it. */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) current = asRecord(current)[part];
  return current;
}
