/**
 * Label-matcher regexes are RE2, fully anchored, with `.` matching newlines. The parser has already
 * rejected invalid ones; here they are only evaluated against catalogue values, so a pattern using
 * RE2 syntax JavaScript lacks (`[[:alpha:]]`, `\z`) is treated as "may match anything".
 */
export function matcherRegex(pattern: string): RegExp | undefined {
  if (compiled.has(pattern)) return compiled.get(pattern);
  const regex = compile(pattern);
  compiled.set(pattern, regex);
  return regex;
}

/** Compiled once per pattern: a pattern is matched against the values of many series and rules. */
const compiled = new Map<string, RegExp | undefined>();

function compile(pattern: string): RegExp | undefined {
  let body = pattern;
  let flags = 'su';
  if (body.startsWith('(?i)')) {
    body = body.slice(4);
    flags += 'i';
  }
  try {
    return new RegExp(`^(?:${body.replaceAll('(?P<', '(?<')})$`, flags);
  } catch {
    return undefined;
  }
}

const META = /[\\^$.|?*+()[\]{}]/;

export function hasRegexMeta(pattern: string): boolean {
  return META.test(pattern);
}

/** `a|b|c` with no other syntax: the exact values it matches; undefined for any other pattern. */
export function literalAlternatives(pattern: string): string[] | undefined {
  const parts = pattern.split('|');
  return parts.every((part) => !hasRegexMeta(part)) ? parts : undefined;
}
