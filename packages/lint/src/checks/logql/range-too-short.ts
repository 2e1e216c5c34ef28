import { formatDuration, parseDuration } from '@o11y/core';
import { holdsVariable, rangeAggregations } from '@o11y/logql';
import { defineCheck } from '../../check.ts';

export const rangeTooShort = defineCheck({
  id: 'logql/range-too-short',
  severity: 'warning',
  doc: `The range of \`rate\`, \`count_over_time\`, \`bytes_over_time\` and the other range aggregations of a Loki query
must cover at least twice the interval at which the log agents ship lines to Loki (option \`shipInterval\`:
Alloy's \`loki.write\` and Promtail send a batch at least every second by default, their \`batch_wait\`): lines
that have not arrived yet are missing from the newest part of the range, so a shorter range swings between
nothing and a whole batch. For a Loki rule the range must also cover its group's evaluation interval (option
\`evaluationInterval\` when the group sets none): the lines between two evaluations that no range covers are never
counted, and an alert on them never sees them. Ranges written as Grafana variables (\`[$__auto]\`) are left to
Grafana, which sizes them from the panel's interval.`,
  options: {
    shipInterval: {
      default: '1s',
      doc: 'how often the log agents send lines to Loki (Alloy `loki.write` / Promtail `batch_wait`)',
    },
    evaluationInterval: { default: '1m', doc: "Loki's ruler evaluation interval, for groups that set none" },
  },
  *run({ project, options }) {
    const ship = parseDuration(options.shipInterval);
    for (const query of project.logQueries) {
      if (!query.parsed.ok) continue;
      const evaluation =
        query.target.kind === 'rule'
          ? parseDuration(query.target.group.interval ?? options.evaluationInterval)
          : undefined;
      for (const aggregation of rangeAggregations(query.text)) {
        if (holdsVariable(aggregation.range)) continue;
        const range = parseDuration(aggregation.range);
        const [minimum, why] =
          evaluation !== undefined && evaluation > 2 * ship
            ? [
                evaluation,
                `the rule group's evaluation interval (${formatDuration(evaluation)}): lines between evaluations are never counted`,
              ]
            : [
                2 * ship,
                `twice the log ship interval (${formatDuration(ship)}): the newest lines have not arrived yet`,
              ];
        if (range >= minimum) continue;
        yield {
          target: query.target,
          message: `${aggregation.operation} over [${aggregation.range}] is shorter than ${why}`,
          span: aggregation.rangeSpan,
          hint: `use at least [${formatDuration(minimum)}]${query.target.kind === 'query' ? ', or [$__auto]' : ''}`,
        };
      }
    }
  },
});
