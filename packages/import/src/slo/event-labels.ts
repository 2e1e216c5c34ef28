import { type LabelMatcher, type Node, parse, selectors } from '@o11y/promql';

/** Label values tried for a regex or negative matcher when the matchers name none themselves. */
const CANDIDATES = [
  '500',
  '503',
  '429',
  '404',
  '200',
  '204',
  '0',
  '1',
  'error',
  'ok',
  'true',
  'false',
  'success',
  'failure',
];

function matches(matcher: LabelMatcher, value: string): boolean {
  if (matcher.op === '=') return value === matcher.value;
  if (matcher.op === '!=') return value !== matcher.value;
  let pattern: RegExp;
  try {
    // Label-value regexes are RE2, fully anchored; the simple ones SLO queries use read the same in JavaScript.
    pattern = new RegExp(`^(?:${matcher.value})$`, 'u');
  } catch {
    return false;
  }
  return pattern.test(value) === (matcher.op === '=~');
}

/** An alternative of a regex that is a plain value, not a pattern. */
const isLiteral = (text: string) => /^[\w:/-]+$/.test(text);

/** Values worth trying for a label: those its matchers spell out (`a|b` alternatives), then common ones. */
function candidates(matchers: readonly LabelMatcher[]): string[] {
  const spelled = matchers.flatMap((m) =>
    m.op === '='
      ? [m.value]
      : m.op === '=~'
        ? m.value
            .replace(/^\(|\)$/g, '')
            .split('|')
            .filter(isLiteral)
        : [],
  );
  return [...new Set([...spelled, ...CANDIDATES])];
}

/** The one series selector of a query with exactly one. */
function onlySelector(query: string): { name: string; matchers: LabelMatcher[] } | undefined {
  const result = parse(query);
  if (!result.ok) return undefined;
  const found = selectors(result.expr as Node);
  if (found.length !== 1 || found[0]!.name === '') return undefined;
  return { name: found[0]!.name, matchers: found[0]!.matchers.filter((m) => m.name !== '__name__') };
}

/** Labels satisfying every `must` matcher and, when `mustNot` is given, failing at least one of those. */
function solve(
  must: readonly LabelMatcher[],
  mustNot?: readonly LabelMatcher[],
): Record<string, string> | undefined {
  const names = [...new Set([...must, ...(mustNot ?? [])].map((m) => m.name))];
  const labels: Record<string, string> = {};
  for (const name of names) {
    const own = must.filter((m) => m.name === name);
    const value = candidates([...own, ...(mustNot ?? []).filter((m) => m.name === name)]).find((v) =>
      own.every((m) => matches(m, v)),
    );
    if (value === undefined) return undefined;
    labels[name] = value;
  }
  if (!mustNot) return labels;
  // Change one label the excluded selector tests so that it no longer matches.
  for (const name of new Set(mustNot.map((m) => m.name))) {
    const own = must.filter((m) => m.name === name);
    const excluded = mustNot.filter((m) => m.name === name);
    const value = candidates([...own, ...excluded]).find(
      (v) => own.every((m) => matches(m, v)) && !excluded.every((m) => matches(m, v)),
    );
    if (value !== undefined) return { ...labels, [name]: value };
  }
  return undefined;
}

/**
 * One series of bad and one of good events for an imported ratio SLI whose queries each read one
 * counter: bad events match the error (or bad) selector and the total one; good events match the
 * total selector and not the error one. `undefined` when the queries are not of that shape.
 */
export function eventLabels(
  counted: string,
  total: string,
  countedIs: 'bad' | 'good',
): { metric: string; bad: Record<string, string>; good: Record<string, string> } | undefined {
  const a = onlySelector(counted);
  const t = onlySelector(total);
  if (!a || !t || a.name !== t.name) return undefined;
  const inside = solve([...a.matchers, ...t.matchers]);
  const outside = solve(t.matchers, a.matchers);
  if (!inside || !outside) return undefined;
  return countedIs === 'bad'
    ? { metric: t.name, bad: inside, good: outside }
    : { metric: t.name, bad: outside, good: inside };
}
