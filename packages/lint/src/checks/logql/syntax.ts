import { defineCheck } from '../../check.ts';

export const syntax = defineCheck({
  id: 'logql/syntax',
  severity: 'error',
  doc: `A Loki query must parse with Grafana's own LogQL grammar (\`@grafana/lezer-logql\`, the grammar of Grafana's
query editor): an unclosed selector or string, a pipeline stage Loki does not know, an empty selector \`{}\`,
a range aggregation without its range. Grafana's variables and macros (\`$app\`, \`[$__auto]\`) are replaced by
placeholders of the same length, so the caret points at the query as written. The grammar recovers from a
mistake by skipping text, so only the first mistake of a query is reported. What it cannot see: what Loki
checks when it runs the query (label names that exist, a regular expression's syntax, limits). \`o11y build\`
reports a dashboard query's mistake once, as this check's finding, though its verify meets it again in the
written file (as the dashboards' verify's own, under this id, when this check does not fail the build).`,
  *run({ project }) {
    for (const query of project.logQueries) {
      if (query.parsed.ok) continue;
      for (const error of query.parsed.errors) {
        yield {
          target: query.target,
          message: `LogQL does not parse: ${error.message}`,
          span: { start: error.start, end: Math.max(error.end, error.start + 1) },
          hint: 'fix the query as Grafana’s LogQL editor would; the caret is under the first token it cannot read',
        };
      }
    }
  },
});
