import type { InstantVector } from '@o11y/catalog';
import { parseDuration } from '@o11y/core';
import type { SloSeverity } from '../labels.ts';
import { type AlertingRule, makeAlert } from '../rule.ts';
import { percent, type SloModel } from './model.ts';
import type { GroupFilter } from './sli-records.ts';
import type { AlertWindow } from './windows.ts';

/**
 * The multi-window multi-burn-rate alerts of an SLO: a page and a ticket alert, each firing when any of
 * its window pairs burns above its threshold on both windows (and, with `minEvents`, the long window
 * holds enough events). A severity without windows has no alert.
 */
export function burnRateAlerts(
  model: SloModel,
  sli: (window: string, where?: GroupFilter) => InstantVector,
): { readonly page?: AlertingRule; readonly ticket?: AlertingRule } {
  const { alerting, grouping, labels, objective, name, service } = model;
  const burnAlert = (severity: SloSeverity): AlertingRule | undefined => {
    const pairs = model.windows.filter((w) => w.severity === severity);
    if (pairs.length === 0) return undefined;
    const where = alerting[severity]?.where;
    const condition = (w: AlertWindow): InstantVector => {
      const both = sli(w.long, where).gt(w.threshold).and(sli(w.short, where).gt(w.threshold));
      if (alerting.minEvents === undefined) return both;
      const events = model.sli
        .total(model.range(w.long), grouping)
        .times(parseDuration(model.range(w.long)) / 1000)
        .gte(alerting.minEvents);
      return both.and(events).on(...grouping);
    };
    const expr = pairs.map(condition).reduce((a, b) => a.or(b));
    const rates = pairs.map((w) => `${w.factor}× over ${w.long} and ${w.short}`).join(', or ');
    const consumed = Math.min(...pairs.map((w) => w.budgetConsumed));
    const extra = alerting[severity]?.labels ?? {};
    return makeAlert(
      model.alertNames.burn,
      {
        expr,
        severity: severity === 'page' ? 'critical' : 'warning',
        team: model.team,
        labels: { ...(alerting.labels ?? {}), ...extra, slo_severity: severity, ...labels },
        summary: `${service} is burning its ${name} error budget too fast`,
        description:
          `The ${name} SLO of ${model.scope} (${percent(objective)} over ${model.period}) is burning its error budget ` +
          `at ${rates} the sustainable rate: at least ${percent(consumed)} of the budget is gone.`,
        ...(alerting.runbookUrl !== undefined && { runbookUrl: alerting.runbookUrl }),
      },
      model.source,
    );
  };
  const page = burnAlert('page');
  const ticket = burnAlert('ticket');
  return { ...(page && { page }), ...(ticket && { ticket }) };
}
