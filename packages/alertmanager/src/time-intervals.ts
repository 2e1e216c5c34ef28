import { captureSource, type SourceLocation } from '@o11y/core';

export type Weekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
export type Month =
  | 'january'
  | 'february'
  | 'march'
  | 'april'
  | 'may'
  | 'june'
  | 'july'
  | 'august'
  | 'september'
  | 'october'
  | 'november'
  | 'december';

/** `HH:MM`, 24-hour, end exclusive. */
export type ClockTime = `${number}:${number}`;

/** One period; Alertmanager mutes or activates when every given field matches. */
export interface TimePeriod {
  readonly times?: ReadonlyArray<{ readonly start: ClockTime; readonly end: ClockTime }>;
  /** Days or ranges: `'saturday'`, `'monday:friday'`. */
  readonly weekdays?: ReadonlyArray<Weekday | `${Weekday}:${Weekday}`>;
  /** Days of the month or ranges, negative from the end: `'1'`, `'1:7'`, `'-1'`. */
  readonly daysOfMonth?: readonly string[];
  readonly months?: ReadonlyArray<Month | `${Month}:${Month}` | `${number}` | `${number}:${number}`>;
  readonly years?: readonly string[];
  /** IANA zone, e.g. `UTC`, `Europe/Berlin`. */
  readonly location?: string;
}

/** A named set of periods that routes mute or activate by. */
export class TimeInterval {
  constructor(
    readonly name: string,
    readonly periods: readonly TimePeriod[],
    readonly source: SourceLocation,
  ) {}
}

export function timeInterval(name: string, periods: readonly TimePeriod[]): TimeInterval {
  return new TimeInterval(name, periods, captureSource());
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Problems Alertmanager would reject the config for, found before it runs. */
export function timeIntervalProblems(interval: TimeInterval): string[] {
  const problems: string[] = [];
  if (interval.periods.length === 0) problems.push(`time interval "${interval.name}" has no periods`);
  for (const period of interval.periods) {
    for (const { start, end } of period.times ?? []) {
      if (!CLOCK.test(start) || !CLOCK.test(end) || start >= end) {
        problems.push(
          `time interval "${interval.name}": times ${start}–${end} must be HH:MM with start before end`,
        );
      }
    }
  }
  return problems;
}

export function renderTimeInterval(interval: TimeInterval): Record<string, unknown> {
  return {
    name: interval.name,
    time_intervals: interval.periods.map((period) => ({
      ...(period.times && {
        times: period.times.map(({ start, end }) => ({ start_time: start, end_time: end })),
      }),
      ...(period.weekdays && { weekdays: [...period.weekdays] }),
      ...(period.daysOfMonth && { days_of_month: [...period.daysOfMonth] }),
      ...(period.months && { months: [...period.months] }),
      ...(period.years && { years: [...period.years] }),
      ...(period.location && { location: period.location }),
    })),
  };
}
