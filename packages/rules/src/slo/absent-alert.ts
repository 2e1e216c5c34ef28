import { absent } from '@o11y/catalog';
import { type Duration, formatDuration, parseDuration } from '@o11y/core';
import { type AlertingRule, makeAlert } from '../rule.ts';
import type { SloModel } from './model.ts';

/**
 * Without its metric the SLO is blind: the absent alert fires when no series of the SLI exists. It
 * waits as long as the fastest page would take to notice a full outage (the time 100% errors need to
 * cross its long-window threshold), at least 2 minutes, unless the SLO says otherwise or turns it off.
 */
export function absentAlert(model: SloModel): AlertingRule | undefined {
  const { alerting, name, service } = model;
  if (alerting.absent === false) return undefined;
  const firstPage =
    model.windows.filter((w) => w.severity === 'page').sort((a, b) => b.threshold - a.threshold)[0] ??
    model.windows[0]!;
  const outageDetectionMs =
    Math.ceil((firstPage.threshold * parseDuration(firstPage.long)) / 60_000) * 60_000;
  const absentFor = alerting.absent?.for ?? formatDuration(Math.max(outageDetectionMs, 120_000));
  return makeAlert(
    model.alertNames.absent,
    {
      expr: absent(model.sli.presence()),
      for: absentFor as Duration,
      severity: 'warning',
      team: model.team,
      labels: { ...(alerting.labels ?? {}), ...model.labels },
      summary: `The ${name} SLO of ${service} has no data`,
      description: `No series of the ${name} SLI of ${service}: the SLO cannot see errors until the metric is scraped again.`,
      ...(alerting.runbookUrl !== undefined && { runbookUrl: alerting.runbookUrl }),
    },
    model.source,
  );
}
