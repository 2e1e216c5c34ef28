import { hasRegexMeta } from '../../analysis/regex.ts';
import { fromVariable, nodesOf } from '../../analysis/visit.ts';
import { defineCheck, type Finding } from '../../check.ts';

const MATCH_ALL = new Set(['.*', '(.*)', '^.*$']);

export const regexp = defineCheck({
  id: 'promql/regexp',
  severity: 'warning',
  doc: `Label-matcher regexes are RE2 and always fully anchored. This reports matchers whose regex does not do
what it seems to: \`=~".*"\` matches every series (drop the matcher) and \`!~".*"\` none; \`^\` and \`$\` are redundant
because Prometheus anchors the pattern already (and suggest the author expected a substring match); a regex with
no special characters is an equality and should be written \`=\` or \`!=\`. Invalid regexes are parse errors
(promql/syntax). Values written as Grafana variables (\`=~"$service"\`) are not judged.`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'VectorSelector')) {
      for (const matcher of node.matchers) {
        if ((matcher.op !== '=~' && matcher.op !== '!~') || matcher.name === '__name__') continue;
        if (fromVariable(expression, node, matcher.value)) continue;
        const written = `${matcher.name}${matcher.op}"${matcher.value}"`;
        const report = (message: string, hint: string): Finding => ({
          target: expression.target,
          message: `${written}: ${message}`,
          span: node,
          hint,
        });
        if (MATCH_ALL.has(matcher.value)) {
          yield matcher.op === '=~'
            ? report('matches every series, with or without the label', 'remove the matcher')
            : report('matches no series at all', 'remove the matcher or the selector');
        } else if (matcher.value.startsWith('^') || matcher.value.endsWith('$')) {
          yield report(
            'anchors are redundant: label regexes are always fully anchored',
            'remove ^ and $; write .*foo.* for a substring match',
          );
        } else if (!hasRegexMeta(matcher.value)) {
          yield report(
            'regex without special characters is an exact match',
            `write ${matcher.name}${matcher.op === '=~' ? '=' : '!='}"${matcher.value}"`,
          );
        }
      }
    }
  },
});
