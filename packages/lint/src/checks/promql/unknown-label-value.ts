import { listedValues } from '@o11y/catalog';
import { narrowLabel, ShapeResolver } from '../../analysis/shape.ts';
import { fromVariable, nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';
import { ALERT_SERIES } from '../../series.ts';

/** Enough listed values to spot the intended one; an organisation's alert names run to hundreds. */
const SHOWN_VALUES = 12;

function listed(values: readonly string[]): string {
  const shown = values.slice(0, SHOWN_VALUES).join(', ');
  return values.length > SHOWN_VALUES ? `${shown}, … (${values.length - SHOWN_VALUES} more)` : shown;
}

export const unknownLabelValue = defineCheck({
  id: 'promql/unknown-label-value',
  severity: 'error',
  doc: `For a label whose values the catalogue lists (\`label.values([...])\`: jobs, methods, status classes,
histogram buckets), a matcher value outside the list, or a regex that matches none of the listed values, selects
nothing. \`!=\` and \`!~\` are not judged: excluding a value the catalogue does not list is how a query stays correct
when that value appears later (\`status_code!="499"\`), and it still selects what it should. Values
written as Grafana variables are not judged, nor labels with only a cardinality estimate. For \`ALERTS\` the listed values
are those the project's alerting rules write: \`alertname\`, \`alertstate\` and the rules' static labels.`,
  *run({ project }) {
    for (const { expression, node } of nodesOf(project, 'VectorSelector')) {
      const name = ShapeResolver.metricName(node);
      const series = name === undefined ? undefined : project.series(name);
      if (!series) continue;
      for (const matcher of node.matchers) {
        const spec = series.specs[matcher.name];
        if (spec?.kind !== 'values' || fromVariable(expression, node, matcher.value)) continue;
        if (matcher.op === '!=' || matcher.op === '!~') continue;
        if (
          matcher.op === '=' ? listedValues(spec).has(matcher.value) : narrowLabel(spec, [matcher]).count > 0
        )
          continue;
        yield {
          target: expression.target,
          message: `${matcher.name}${matcher.op}"${matcher.value}" matches none of the values of ${name}'s ${matcher.name}: ${listed(spec.values)}`,
          span: node,
          hint: ALERT_SERIES.has(name!)
            ? "the project's alerting rules write only these: fix the value, or define the alert"
            : 'use one of the listed values, or add the value to the catalogue',
        };
      }
    }
  },
});
