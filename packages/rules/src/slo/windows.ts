import { formatDuration, O11yError, parseDuration, type SourceLocation } from '@o11y/core';
import type { SloSeverity } from '../labels.ts';

/** One multi-window burn-rate condition: fire when the error ratio exceeds `factor × (1 − objective)` on both windows. */
export interface BurnRateWindow {
  readonly severity: SloSeverity;
  readonly long: string;
  readonly short: string;
  /** Burn rate: how many times faster than sustainable the budget is being spent. */
  readonly factor: number;
}

/** A window pair with the error-ratio threshold both its windows must exceed. */
export interface AlertWindow extends BurnRateWindow {
  readonly threshold: number;
  /** Share of the period's error budget spent when the long window alone crosses the threshold. */
  readonly budgetConsumed: number;
}

const DAY = 86_400_000;
const REFERENCE_PERIOD = 30 * DAY;

/**
 * The SRE Workbook's windows for a 30-day period, by the share of the budget each detects: page on 2 % in
 * 1h (×14.4) and 5 % in 6h (×6), ticket on 10 % in 1d (×3) and in 3d (×1). Short windows are 1/12 of long.
 */
const WORKBOOK: ReadonlyArray<{ severity: SloSeverity; long: number; budgetConsumed: number }> = [
  { severity: 'page', long: 3_600_000, budgetConsumed: 0.02 },
  { severity: 'page', long: 6 * 3_600_000, budgetConsumed: 0.05 },
  { severity: 'ticket', long: DAY, budgetConsumed: 0.1 },
  { severity: 'ticket', long: 3 * DAY, budgetConsumed: 0.1 },
];

const NAME_UNITS: ReadonlyArray<[string, number]> = [
  ['d', DAY],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * A window as it appears in recording-rule names: days, hours, minutes, seconds (`30d`, `1h`, `4m40s`),
 * never weeks, so the period of a 30-day SLO is `…_rate30d` and not `…_rate4w2d`.
 */
export function windowName(ms: number): string {
  let rest = ms;
  let out = '';
  for (const [unit, size] of NAME_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out === '' ? '0s' : out;
}

/** Rounds a floating-point product such as 14.4 × 0.001 to the decimal it stands for. */
export function decimal(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * The default windows for a period: the workbook's for 30d; for other periods the windows scale with the
 * period (28d: 56m/4m40s, 5h36m/28m, …) so each pair still detects the same share of the budget at the
 * same burn rate. Keeping 1h/6h/1d/3d on a 7d period would page on burn rates below 1.
 */
export function defaultWindows(periodMs: number): BurnRateWindow[] {
  return WORKBOOK.map(({ severity, long, budgetConsumed }) => {
    const scaledLong = Math.round((long * periodMs) / REFERENCE_PERIOD / 12_000) * 12_000;
    return {
      severity,
      long: windowName(scaledLong),
      short: windowName(scaledLong / 12),
      factor: decimal((budgetConsumed * periodMs) / scaledLong),
    };
  });
}

export interface WindowCheck {
  readonly objective: number;
  readonly periodMs: number;
  /** The slowest scrape interval of the metrics the SLI reads. */
  readonly scrapeIntervalMs: number;
  readonly source: SourceLocation;
  readonly what: string;
}

/** Validates window pairs and adds their thresholds; every problem is a build error at the SLO's line. */
export function alertWindows(windows: readonly BurnRateWindow[], check: WindowCheck): AlertWindow[] {
  const { objective, periodMs, scrapeIntervalMs, source, what } = check;
  const budget = decimal(1 - objective);
  if (windows.length === 0) {
    throw new O11yError(`${what}: no burn-rate windows`, {
      source,
      id: 'slo/windows',
      hint: 'omit windows for the defaults',
    });
  }
  return windows.map((w) => {
    const long = parseDuration(w.long);
    const short = parseDuration(w.short);
    const label = `${w.severity} window ${w.long}/${w.short} ×${w.factor}`;
    for (const [name, ms] of [
      [w.short, short],
      [w.long, long],
    ] as const) {
      if (ms < 2 * scrapeIntervalMs) {
        throw new O11yError(
          `${what}: ${label}: window ${name} is shorter than twice the scrape interval (${formatDuration(scrapeIntervalMs)})`,
          {
            source,
            id: 'slo/window-too-short',
            hint: `a rate over less than two scrapes is empty or jumps; use windows of at least ${formatDuration(2 * scrapeIntervalMs)}, or scrape more often`,
          },
        );
      }
    }
    if (short >= long) {
      throw new O11yError(`${what}: ${label}: the short window must be shorter than the long one`, {
        source,
        id: 'slo/windows',
        hint: 'the workbook uses short = long / 12',
      });
    }
    if (long > periodMs) {
      throw new O11yError(`${what}: ${label}: the long window is longer than the SLO period`, {
        source,
        id: 'slo/windows',
      });
    }
    if (!(w.factor > 0)) {
      throw new O11yError(`${what}: ${label}: the burn rate factor must be positive`, {
        source,
        id: 'slo/windows',
      });
    }
    const threshold = decimal(w.factor * budget);
    if (threshold >= 1) {
      throw new O11yError(
        `${what}: ${label} can never fire: ${w.factor} × (1 − ${objective}) = ${threshold}, and an error ratio cannot exceed 1`,
        {
          source,
          id: 'slo/impossible-threshold',
          hint: `lower the factor below ${decimal(1 / budget)} or raise the objective`,
        },
      );
    }
    return {
      severity: w.severity,
      long: windowName(long),
      short: windowName(short),
      factor: w.factor,
      threshold,
      budgetConsumed: decimal((w.factor * long) / periodMs),
    };
  });
}
