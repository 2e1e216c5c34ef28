import { literalAlternatives, type Matcher } from '@o11y/alertmanager';
import { compareCodePoints } from '@o11y/core';
import { isRecord } from '../json.ts';

type Operator = Matcher['operator'];

const MATCHER =
  /^\s*("(?:[^"\\]|\\.)*"|[^\s=!~"{},]+)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,}]*?)\s*(?:,\s*|$)/s;

function unquote(text: string): string {
  return text.startsWith('"')
    ? text.slice(1, -1).replace(/\\(.)/gs, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped))
    : text;
}

/**
 * The matchers of one `matchers:` entry as Alertmanager reads it: `name="value"`, unquoted values,
 * several separated by commas, optionally in braces. Undefined when the text is not matchers.
 */
export function parseMatchers(text: string): Matcher[] | undefined {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  const found: Matcher[] = [];
  while (rest.length > 0) {
    const match = MATCHER.exec(rest);
    if (!match) return undefined;
    found.push({ name: unquote(match[1]!), operator: match[2] as Operator, value: unquote(match[3]!) });
    rest = rest.slice(match[0].length);
  }
  return found;
}

/** `match:` and `match_re:` maps (the older spelling) as matchers. */
function mapMatchers(value: unknown, operator: Operator): Matcher[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([name, v]) => ({ name, operator, value: String(v) }));
}

/**
 * Every matcher of a route or one side of an inhibit rule, whichever spelling the YAML uses:
 * `<prefix>matchers`, `<prefix>match`, `<prefix>match_re`; else the first entry that is not matchers.
 */
export function matchersOf(
  node: Record<string, unknown>,
  prefix = '',
): { matchers: Matcher[]; oldSpelling: boolean } | { unreadable: string } {
  const matchers: Matcher[] = [];
  const list = node[`${prefix}matchers`];
  for (const entry of Array.isArray(list) ? list : []) {
    const parsed = parseMatchers(String(entry));
    if (!parsed) return { unreadable: String(entry) };
    matchers.push(...parsed);
  }
  const old = [...mapMatchers(node[`${prefix}match`], '='), ...mapMatchers(node[`${prefix}match_re`], '=~')];
  return { matchers: [...matchers, ...old], oldSpelling: old.length > 0 };
}

/**
 * A matcher as Alertmanager evaluates it: a regex of literal alternatives (`a|b`) is the set of
 * literals, whatever their order or escaping.
 */
export function matcherMeaning(matcher: Matcher): string {
  const literals = matcher.operator.endsWith('~') ? literalAlternatives(matcher.value) : undefined;
  const value = literals ? [...new Set(literals)].sort(compareCodePoints) : matcher.value;
  return `${matcher.name}${matcher.operator}${JSON.stringify(value)}`;
}
