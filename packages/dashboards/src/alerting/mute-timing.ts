/**
 * A mute timing as Grafana's alerting provisioning API and its provisioning files take it: Alertmanager's
 * `time_interval` wire format (Grafana embeds Alertmanager's `MuteTimeInterval`). The foundation SDK's
 * `MuteTiming` types the periods differently (`from`/`to`, numeric ranges), so the schema the build
 * validates mute timings against is generated from this type instead.
 */
export interface MuteTiming {
  name: string;
  time_intervals: MuteTimingPeriod[];
}

export interface MuteTimingPeriod {
  times?: MuteTimingTimes[];
  weekdays?: WeekdayRange[];
  days_of_month?: DayOfMonthRange[];
  months?: MonthRange[];
  years?: YearRange[];
  /** An IANA time zone name (`Europe/Berlin`), or `Local`. */
  location?: string;
}

export interface MuteTimingTimes {
  /** @pattern ^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$ */
  start_time: string;
  /** @pattern ^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$ */
  end_time: string;
}

/** `monday` or `monday:friday`. @pattern ^(sunday|monday|tuesday|wednesday|thursday|friday|saturday)(:(sunday|monday|tuesday|wednesday|thursday|friday|saturday))?$ */
export type WeekdayRange = string;
/** `1`, `1:5` or from the end of the month, `-3:-1`. @pattern ^-?([1-9]|[12][0-9]|3[01])(:-?([1-9]|[12][0-9]|3[01]))?$ */
export type DayOfMonthRange = string;
/** `1:3`, `may` or `january:march`. @pattern ^([1-9]|1[0-2]|january|february|march|april|may|june|july|august|september|october|november|december)(:([1-9]|1[0-2]|january|february|march|april|may|june|july|august|september|october|november|december))?$ */
export type MonthRange = string;
/** `2026` or `2026:2027`. @pattern ^[0-9]{4}(:[0-9]{4})?$ */
export type YearRange = string;
