import { holdsVariable, type StreamMatcher, streamSelectors } from '@o11y/logql';
import { defineCheck } from '../../check.ts';

/**
 * Whether Loki counts the matcher as narrowing the streams: an `=` or `=~` whose value cannot match the
 * empty string (Loki anchors regular expressions at both ends). A value this cannot judge (a variable, a
 * pattern JavaScript does not read as Go does) counts as narrowing, so the check never guesses wrong loudly.
 */
function narrows(matcher: StreamMatcher): boolean {
  if (matcher.operator === '!=' || matcher.operator === '!~') return false;
  if (holdsVariable(matcher.value)) return true;
  if (matcher.operator === '=') return matcher.value !== '';
  try {
    return !new RegExp(`^(?:${matcher.value})$`).test('');
  } catch {
    return true;
  }
}

export const unboundedSelector = defineCheck({
  id: 'logql/unbounded-selector',
  severity: 'error',
  doc: `Every stream selector of a Loki query needs at least one \`=\` or \`=~\` matcher whose value cannot be
empty: Loki refuses \`{job=~".*"}\`, \`{app!="x"}\` or \`{app=""}\` ("queries require at least one regexp or
equality matcher that does not have an empty-compatible value"), because such a selector names every stream.
Use \`=~".+"\` rather than \`=~".*"\` when any value will do. Values holding a Grafana variable
(\`=~"$app"\`) count as narrowing, since what they match is only known at query time (a variable whose "All"
is \`.*\` can still make the selector unbounded), and regular expressions are read with JavaScript's engine,
which agrees with Go's RE2 on what matches the empty string for the usual patterns; a pattern JavaScript
cannot read counts as narrowing. Queries that do not parse are left to \`logql/syntax\`.`,
  *run({ project }) {
    for (const query of project.logQueries) {
      if (!query.parsed.ok) continue;
      for (const selector of streamSelectors(query.text)) {
        if (selector.matchers.some(narrows)) continue;
        yield {
          target: query.target,
          message: `stream selector ${query.text.slice(selector.start, selector.end)} selects every stream: no \`=\` or \`=~\` matcher with a value that cannot be empty`,
          span: { start: selector.start, end: selector.end },
          hint: 'add an equality matcher on a stream label (e.g. the service), or write `=~".+"` instead of `=~".*"`',
        };
      }
    }
  },
});
