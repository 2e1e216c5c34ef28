import { streamSelectors } from '@o11y/logql';
import { defineCheck } from '../../check.ts';

export const unknownStreamLabel = defineCheck({
  id: 'logql/unknown-stream-label',
  severity: 'error',
  doc: `Every label in a stream selector \`{…}\` must be one of the stream labels the catalogue declares
(\`defineLogStreams\`, passed to \`defineCatalog\` as \`logStreams\`): Loki has no stream with a label its agents never
set, so \`{servce="api"}\` selects nothing, and a negative matcher on it (\`{app="x", servce!="api"}\`) excludes
nothing. Labels a pipeline extracts (\`| json | level="error"\`) are not stream labels and are not checked.
Nothing is reported when the catalogue declares no log streams. Queries that do not parse are left to
\`logql/syntax\`.`,
  *run({ project }) {
    const streams = project.catalog?.logStreams;
    if (!streams) return;
    const known = streams.labels.map((l) => l.name);
    for (const query of project.logQueries) {
      if (!query.parsed.ok) continue;
      for (const selector of streamSelectors(query.text)) {
        for (const matcher of selector.matchers) {
          if (streams.label(matcher.label)) continue;
          yield {
            target: query.target,
            message: `no log stream has label "${matcher.label}"; the stream labels are ${known.join(', ')}`,
            span: matcher,
            hint: 'use a declared stream label, filter on a label the pipeline extracts, or declare the label in the catalogue’s log streams',
          };
        }
      }
    }
  },
});
