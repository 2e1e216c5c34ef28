import type { Duration } from '@o11y/core';
import type { Sli, TestInputFactory } from './sli.ts';
import type { BurnRateWindow } from './windows.ts';

/** How an SLO alerts: what `slo()` is given under `alerting`. */
export interface SloAlerting {
  /** Burn-rate window pairs; default: the SRE Workbook's, scaled to the period. */
  readonly windows?: readonly BurnRateWindow[];
  /** Burn-rate alerts stay quiet while a long window holds fewer events than this (low-traffic services). */
  readonly minEvents?: number;
  /** The absent alert, on by default; its `for` follows from the budget unless given. */
  readonly absent?: false | { readonly for?: Duration };
  readonly runbookUrl?: string;
  /** Name of the burn-rate alerts; default: service and SLO name in CamelCase + `ErrorBudgetBurn`. */
  readonly name?: string;
  /** Extra labels on the burn-rate and absent alerts (not on `severity`, `team`, `slo`, `service`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The page alert: its extra labels, and the groups it is for (default: every group). */
  readonly page?: SeverityAlerting;
  /** The ticket alert, as `page`. */
  readonly ticket?: SeverityAlerting;
}

/** What one severity of the burn-rate alerts adds to the SLO's alerting. */
export interface SeverityAlerting {
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Only the groups with these values of grouping labels get this alert, e.g. `{ environment:
   * ['production'] }` on `page` and `{ environment: ['production', 'staging'] }` on `ticket`: production
   * pages, staging opens a ticket, any other environment is recorded but never alerts. Budgets and burn
   * rates are still computed per group, so one environment's errors never reach another's alerts.
   */
  readonly where?: Readonly<Record<string, readonly string[]>>;
}

/** A service as the catalogue's service list has it, or just its name with a team. */
export type SloService = string | { readonly name: string; readonly team: string };

/** An SLO as its author writes it: the spec the model is validated from. */
export interface SloOptions {
  readonly service: SloService;
  /** Owning team; default: the service's team. */
  readonly team?: string;
  /** Short, unique per service: `availability`, `latency`, `checkout`. */
  readonly name: string;
  readonly description?: string;
  /** Share of good events, strictly between 0 and 1, e.g. 0.999. */
  readonly objective: number;
  readonly period?: Duration;
  readonly sli: Sli;
  /** Labels the SLO is computed and alerted per (e.g. `route`); default: one SLO for the whole service. */
  readonly grouping?: readonly string[];
  readonly alerting?: SloAlerting;
  /** Evaluation interval of the short-window group; default: Prometheus's global one. */
  readonly interval?: Duration;
  /** Evaluation interval of the group with the long windows and the period. */
  readonly slowInterval?: Duration;
  /** Test input for SLIs that cannot synthesise their own (raw PromQL). */
  readonly testInput?: TestInputFactory;
}
