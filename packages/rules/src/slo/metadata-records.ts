import { type InstantVector, type Recorded, vector } from '@o11y/catalog';
import { makeRecord } from '../rule.ts';
import { SLO_RECORDS, type SloModel } from './model.ts';
import { decimal } from './windows.ts';

/** The SLO's metadata series, as Sloth and Pyrra name them: objective, budget, period, burn rates, budget left. */
export interface SloMetadataRecords {
  readonly objective: Recorded;
  readonly errorBudget: Recorded;
  readonly periodDays: Recorded;
  /** The burn rate over the shortest window. */
  readonly currentBurnRate: Recorded;
  readonly periodBurnRate: Recorded;
  readonly errorBudgetRemaining: Recorded;
}

/** The metadata records of an SLO, reading its SLI records through `sli`. */
export function metadataRecords(model: SloModel, sli: (window: string) => InstantVector): SloMetadataRecords {
  const { labels, source, errorBudget } = model;
  const record = (name: string, expr: InstantVector) => makeRecord(name, expr, { labels }, source);
  const periodBurnRate = record(SLO_RECORDS.periodBurnRate, sli(model.periodWindow).div(errorBudget));
  return {
    objective: record(SLO_RECORDS.objective, vector(model.objective)),
    errorBudget: record(SLO_RECORDS.errorBudget, vector(errorBudget)),
    periodDays: record(SLO_RECORDS.periodDays, vector(decimal(model.periodMs / 86_400_000))),
    currentBurnRate: record(SLO_RECORDS.currentBurnRate, sli(model.ratioWindows[0]!).div(errorBudget)),
    periodBurnRate,
    errorBudgetRemaining: record(
      SLO_RECORDS.errorBudgetRemaining,
      periodBurnRate.select(labels).negate().plus(1),
    ),
  };
}
