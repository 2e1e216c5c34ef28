import { captureSource, O11yError } from '@o11y/core';
import type { LabelName, LabelValue, LabelVocabulary } from './labels.ts';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** One label matcher as Alertmanager evaluates it. */
export interface Matcher {
  readonly name: string;
  readonly operator: MatchOperator;
  readonly value: string;
}

/**
 * `name="value"`: the form both Alertmanager matcher parsers (classic and UTF-8) accept. The value is
 * always double-quoted with `\\`, `"` and newlines escaped, so no value can change the parse.
 */
export function formatMatcher(matcher: Matcher): string {
  const escaped = matcher.value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
  return `${matcher.name}${matcher.operator}"${escaped}"`;
}

const MATCHER = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"$/s;

/** The inverse of formatMatcher, for reading an emitted alertmanager.yml back in the tests. */
export function parseMatcher(text: string): Matcher {
  const match = MATCHER.exec(text.trim());
  if (!match) {
    throw new O11yError(`cannot read matcher ${JSON.stringify(text)}`, {
      id: 'alertmanager/matcher-syntax',
      hint: 'matchers in alertmanager.yml are written by @o11y/alertmanager as name="value"; rebuild dist/',
    });
  }
  const value = match[3]!.replace(/\\(.)/gs, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  return { name: match[1]!, operator: match[2] as MatchOperator, value };
}

/** Go's RE2 anchors matcher regexes as `^(?:re)$`; JavaScript agrees on the subset routes use. */
function compileAnchored(regex: string): RegExp {
  return new RegExp(`^(?:${regex})$`);
}

/** Whether a label set satisfies a matcher; a missing label matches as the empty string, as in Alertmanager. */
export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return compileAnchored(matcher.value).test(value);
    case '!~':
      return !compileAnchored(matcher.value).test(value);
  }
}

export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((matcher) => matches(matcher, labels));
}

/** A regex that matches exactly the given literal values. */
function alternation(values: readonly string[]): string {
  return values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** The literals of `a|b|c`, the regexes Matching writes for value lists; undefined for a real pattern. */
export function literalAlternatives(regex: string): string[] | undefined {
  const parts = regex.split(/(?<!\\)\|/);
  if (parts.some((part) => /(?<!\\)[.*+?^${}()[\]]/.test(part))) return undefined;
  return parts.map((part) => part.replace(/\\(.)/g, '$1'));
}

/** Whether a regex compiles; Alertmanager would reject the config otherwise. */
export function regexError(regex: string): string | undefined {
  try {
    compileAnchored(regex);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The typed matcher methods shared by routes and the two sides of inhibit rules: label names and
 * values come from the vocabulary, so `where('severity', 'critcal')` does not compile.
 */
export class Matching<V extends LabelVocabulary> {
  readonly matchers: Matcher[] = [];

  /** `name="value"`, or `name=~"a|b"` for a list of values. */
  where<K extends LabelName<V>>(name: K, value: LabelValue<V, K> | readonly LabelValue<V, K>[]): this {
    return this.add(name, value, false);
  }

  /** `name!="value"`, or `name!~"a|b"` for a list of values. */
  whereNot<K extends LabelName<V>>(name: K, value: LabelValue<V, K> | readonly LabelValue<V, K>[]): this {
    return this.add(name, value, true);
  }

  /** `name=~"regex"` for patterns a list of values cannot express; the regex is anchored, as in Alertmanager. */
  whereMatches(name: LabelName<V>, regex: string): this {
    this.matchers.push({ name, operator: '=~', value: regex });
    return this;
  }

  /** `name!~"regex"`: the alerts whose label does not match the anchored regex. */
  whereNotMatches(name: LabelName<V>, regex: string): this {
    this.matchers.push({ name, operator: '!~', value: regex });
    return this;
  }

  private add(name: string, value: string | readonly string[], negate: boolean): this {
    if (typeof value !== 'string' && value.length === 0) {
      throw new O11yError(`matcher on "${name}" has an empty list of values`, {
        source: captureSource(),
        id: 'alertmanager/empty-matcher',
        hint: 'give at least one value, or drop the matcher',
      });
    }
    if (typeof value === 'string') {
      this.matchers.push({ name, operator: negate ? '!=' : '=', value });
    } else {
      this.matchers.push({ name, operator: negate ? '!~' : '=~', value: alternation(value) });
    }
    return this;
  }
}
