import { defineCheck } from '../../check.ts';

export const syntax = defineCheck({
  id: 'promql/syntax',
  severity: 'error',
  doc: `The expression must parse with Prometheus's own parser (the pinned version, compiled to wasm), which
also rejects type errors such as \`rate(sum(x))\` (a range vector is expected) and invalid regular expressions.
Dashboard queries are parsed with Grafana's variables and macros (\`$job\`, \`$__rate_interval\`) replaced by
placeholders of the same length, so the caret points at the original text. Every other PromQL check skips an
expression that does not parse. \`o11y build\` verifies what it writes as well: promtool and the dashboards'
verify meet the same error at the same TypeScript line, and the build reports it once, as this check's finding
(theirs, under this check's id, when this check does not fail the build: off, or below \`--fail-on\`).`,
  *run({ project }) {
    for (const expression of project.expressions) {
      if (expression.parsed.ok) continue;
      for (const error of expression.parsed.errors) {
        yield {
          target: expression.target,
          message: error.message,
          span: { start: error.start, end: Math.max(error.end, error.start + 1) },
        };
      }
    }
  },
});
