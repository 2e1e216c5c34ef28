import { type LineFilter, lineFilterChains } from '@o11y/logql';
import { defineCheck, type Finding } from '../../check.ts';
import type { LogQueryEntry } from '../../project.ts';

/**
 * Constructs Go's RE2 (Loki's regular expressions) refuses though JavaScript reads them: lookaround and
 * backreferences.
 */
const NOT_RE2 = /\(\?<?[=!]|\\[1-9]/;
/** RE2 syntax JavaScript does not read the same way: flag groups, `(?P<name>`, `\pL`, `\Q…\E`, `\A`, `\z`, POSIX classes. */
const RE2_ONLY = /\(\?P<|\(\?[imsU-]+[):]|\\[pPQEAz]|\[\[:/;
/** Anchors and word boundaries: with none, a pattern that matches inside a text matches every line holding it. */
const ANCHORED = /[\^$]|\\[bBAz]/;

/** A JavaScript reading of an RE2 pattern, when the two agree on it; undefined otherwise. */
function readable(pattern: string): RegExp | undefined {
  // RE2's leading flag group `(?i)` is JavaScript's `i` flag.
  const flags = pattern.startsWith('(?i)') ? 'i' : '';
  const body = flags ? pattern.slice(4) : pattern;
  if (NOT_RE2.test(body) || RE2_ONLY.test(body)) return undefined;
  try {
    return new RegExp(body, flags);
  } catch {
    return undefined;
  }
}

/** Whether RE2 refuses the pattern: a construct it lacks, or one both engines fail to compile. */
function refusedByRe2(pattern: string): boolean {
  if (NOT_RE2.test(pattern)) return true;
  if (RE2_ONLY.test(pattern)) return false;
  try {
    new RegExp(pattern);
    return false;
  } catch {
    return true;
  }
}

/**
 * Whether a negative filter drops every line that contains `text`: `!= "b"` when b is part of text,
 * `!~ "re"` when the unanchored pattern matches inside text. Filters with `or` alternatives are not
 * judged.
 */
function dropsEveryLineWith(negative: LineFilter, text: string): boolean {
  if (negative.values.length !== 1) return false;
  const value = negative.values[0]!;
  if (negative.operator === '!=') return text.includes(value);
  if (negative.operator !== '!~' || ANCHORED.test(value)) return false;
  return readable(value)?.test(text) ?? false;
}

function* impossible(query: LogQueryEntry, chain: readonly LineFilter[]): Generator<Finding> {
  const negatives = chain.filter((f) => f.operator === '!=' || f.operator === '!~');
  for (const filter of chain) {
    const shown = query.text.slice(filter.start, filter.end);
    if (filter.operator === '|~' || filter.operator === '!~') {
      const broken = filter.values.find(refusedByRe2);
      if (broken !== undefined) {
        yield {
          target: query.target,
          message: `${shown}: Loki cannot read the regular expression "${broken}" (Go's RE2 has no lookaround or backreferences), so the query fails`,
          span: filter,
          hint: 'rewrite it in RE2 syntax, or use a |= / != filter with a plain string',
        };
        continue;
      }
    }
    if (filter.operator === '|=') {
      const dropper = (text: string) => negatives.find((n) => dropsEveryLineWith(n, text));
      const droppers = filter.values.map(dropper);
      if (droppers.every((d) => d !== undefined)) {
        const which = [...new Set(droppers.map((d) => query.text.slice(d!.start, d!.end)))].join(', ');
        yield {
          target: query.target,
          message: `${shown} never matches: every line it keeps, ${which} drops`,
          span: filter,
          hint: 'remove one of the contradicting filters',
        };
      }
    }
    if (filter.operator === '|~' && filter.values.length === 1) {
      const same = negatives.find(
        (n) => n.operator === '!~' && n.values.length === 1 && n.values[0] === filter.values[0],
      );
      if (same) {
        yield {
          target: query.target,
          message: `${shown} never matches: ${query.text.slice(same.start, same.end)} drops every line it keeps`,
          span: filter,
          hint: 'remove one of the contradicting filters',
        };
      }
    }
  }
}

export const impossibleLineFilter = defineCheck({
  id: 'logql/impossible-line-filter',
  severity: 'error',
  doc: `Line filters that read the same line are all applied, so some combinations keep nothing: \`|= "timeout"\`
with \`!= "time"\` (every line holding "timeout" holds "time"), \`|= "x"\` with \`!~ ".*x.*"\` (a pattern without
anchors that matches inside the kept text matches every line holding it), \`|~ "a+"\` with \`!~ "a+"\`; and a
regular expression Loki's Go RE2 engine refuses (lookaround \`(?=…)\`, \`(?!…)\`, backreferences \`\\1\`, or one that
does not compile) fails the query. A \`line_format\` or \`decolorize\` stage starts a new line, so filters on both
sides of it are not compared. What is proven: plain strings exactly; regular expressions only without anchors
or word boundaries (\`^ $ \\b \\B \\A \\z\`), read with JavaScript's engine, which agrees with RE2 on such
patterns (a pattern JavaScript cannot read with RE2's meaning is not judged). Filters with \`or\` alternatives
are judged only as the kept side (\`|= "a" or "b"\` never matches when both a and b are dropped); a dropping
filter with alternatives is not used. Pattern filters (\`|>\`, \`!>\`) are not judged. \`|= ""\` keeps every line
and is not this check's concern.`,
  *run({ project }) {
    for (const query of project.logQueries) {
      if (!query.parsed.ok) continue;
      for (const chain of lineFilterChains(query.text)) yield* impossible(query, chain);
    }
  },
});
