import { parseDuration } from '@o11y/core';
import { defineCheck } from '../../check.ts';

/** A duration in milliseconds, or undefined when it is not one (rules/promtool-check reports that). */
function millis(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

export const groupInterval = defineCheck({
  id: 'rules/group-interval',
  severity: 'warning',
  doc: `Prometheus answers an instant query with a series' latest sample only if it is at most the lookback delta old
(5 minutes unless \`--query.lookback-delta\` says otherwise). A group evaluated less often than that writes
recorded series that are missing from dashboards and from the rules reading them for part of every interval, and
its alerts resolve between two evaluations and fire again (a new notification each time) unless
\`keep_firing_for\` holds them for at least the interval. Reported for each group with an \`interval\` longer than
the option \`lookback\`: once for its recording rules, and for each alert without such a \`keep_firing_for\`. It can be
wrong only when the Prometheus evaluating the rules has a longer lookback delta: set \`lookback\` to it.`,
  options: { lookback: { default: '5m', doc: 'the lookback delta of the Prometheus evaluating the rules' } },
  *run({ project, options }) {
    const lookback = parseDuration(options.lookback);
    for (const group of project.model.ruleGroups) {
      const interval = millis(group.interval);
      if (interval === undefined || interval <= lookback) continue;
      const records = group.rules.filter((rule) => rule.kind === 'record');
      if (records.length > 0)
        yield {
          target: { kind: 'group', group },
          message: `group ${group.name} is evaluated every ${group.interval}, longer than the ${options.lookback} lookback: ${records.length === 1 ? `the series of ${records[0]!.name} is` : `the series its ${records.length} recording rules write are`} missing between evaluations`,
          hint: `evaluate the group every ${options.lookback} or less`,
        };
      for (const rule of group.rules) {
        if (rule.kind !== 'alert' || (millis(rule.keepFiringFor) ?? 0) >= interval) continue;
        yield {
          target: { kind: 'rule', group, rule },
          message: `alert ${rule.name} is evaluated every ${group.interval}, longer than the ${options.lookback} lookback: it resolves between evaluations and fires again`,
          hint: `evaluate the group every ${options.lookback} or less, or set keep_firing_for: ${group.interval}`,
        };
      }
    }
  },
});
