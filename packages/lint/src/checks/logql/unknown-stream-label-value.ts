import { holdsVariable, type StreamMatcher, streamSelectors } from '@o11y/logql';
import { defineCheck } from '../../check.ts';

/** Whether the matcher selects one of the values; undefined when this cannot tell (a pattern JavaScript cannot read). */
function matchesAny(matcher: StreamMatcher, values: readonly string[]): boolean | undefined {
  if (matcher.operator === '=') return values.includes(matcher.value);
  try {
    // Loki anchors stream matchers' regular expressions at both ends, as Prometheus does.
    const pattern = new RegExp(`^(?:${matcher.value})$`);
    return values.some((value) => pattern.test(value));
  } catch {
    return undefined;
  }
}

export const unknownStreamLabelValue = defineCheck({
  id: 'logql/unknown-stream-label-value',
  severity: 'warning',
  doc: `For a stream label whose values the catalogue's log streams list (\`defineLogStreams({ service: { values:
[...] } })\`), an \`=\` matcher with another value, or an \`=~\` whose regular expression matches none of the listed
values, selects no stream. A warning, not an error: a new service's logs may reach Loki before the catalogue
lists it. \`!=\` and \`!~\` are not judged (excluding a value that does not exist yet is how a query stays right
when it appears), nor values holding a Grafana variable, nor labels declared without values. Regular
expressions are read with JavaScript's engine, which agrees with Go's RE2 on the usual patterns; one it
cannot read is not judged.`,
  *run({ project }) {
    const streams = project.catalog?.logStreams;
    if (!streams) return;
    for (const query of project.logQueries) {
      if (!query.parsed.ok) continue;
      for (const selector of streamSelectors(query.text)) {
        for (const matcher of selector.matchers) {
          const values = streams.label(matcher.label)?.values;
          if (!values || matcher.operator === '!=' || matcher.operator === '!~') continue;
          if (holdsVariable(matcher.value) || matchesAny(matcher, values) !== false) continue;
          yield {
            target: query.target,
            message: `${matcher.label}${matcher.operator}"${matcher.value}" matches none of the values of stream label ${matcher.label}: ${values.join(', ')}`,
            span: matcher,
            hint: 'use one of the listed values, or add the value to the catalogue’s log streams',
          };
        }
      }
    }
  },
});
