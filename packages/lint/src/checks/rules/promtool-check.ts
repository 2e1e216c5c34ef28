import type { SourceLocation } from '@o11y/core';
import { defineCheck } from '../../check.ts';
import type { PlainSources } from '../../load/files.ts';
import { validateRules } from '../../load/rule-file.ts';

/** What the validator found in each run's rule files, in the order of `sources.ruleFiles`. */
const found = new WeakMap<PlainSources, { message: string; source: SourceLocation }[][]>();

export const promtoolCheck = defineCheck({
  id: 'rules/promtool-check',
  severity: 'error',
  doc: `A rule file must load in Prometheus: whatever the pinned \`promtool check rules\` rejects is an error here,
found by the same code (upstream's rulefmt, built natively and run once for all files, with the PromQL features of \`enableFeatures\`):
unknown fields (\`expresion:\`), duplicate keys, durations Prometheus cannot read in \`interval\`, \`for\`,
\`keep_firing_for\` or \`query_offset\`, invalid label and annotation names, both or
neither of \`record\` and \`alert\`, and label or annotation templates that are not valid Go templates or call a
function Prometheus does not define. Expressions that do not parse are promql/syntax's findings (the same parser,
with a caret under the error). Each error is at the line promtool names, or at the rule, annotation or
value it is about. Run on plain rule files and PrometheusRule resources (the resource's \`spec\` as the rule file
the operator writes); Mimir namespace files are not Prometheus rule files and are not judged, and the TypeScript
definitions are checked by promtool itself in \`o11y test\`.`,
  async prepare({ sources, parser }) {
    found.set(sources, await validateRules(sources.ruleFiles, parser));
  },
  *run({ project }) {
    const problemsOf = found.get(project.sources);
    if (!problemsOf) throw new Error('rules/promtool-check runs only after its prepare()');
    for (const [index, { document }] of project.sources.ruleFiles.entries()) {
      for (const problem of problemsOf[index]!) {
        yield {
          target: { kind: 'file', file: document.file, source: problem.source },
          message: problem.message,
          hint: 'Prometheus refuses to load this rule file (`promtool check rules` says the same): fix what the message says',
        };
      }
    }
  },
});
