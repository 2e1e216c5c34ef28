/**
 * What Grafana does to a Prometheus panel query before sending it: the query interval and step from
 * the time range and panel width, `$__rate_interval`, `$__interval`, `$__range` and friends, and
 * template variables in the Prometheus data source's formats. Only the behaviour the end-to-end
 * check needs, following Grafana's documented rules; anything else is an error, never passed through.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Grafana's default "scrape interval" of a Prometheus data source without `jsonData.timeInterval`. */
export const DEFAULT_SCRAPE_INTERVAL_MS = 15 * SECOND;
/** Grafana never asks for more than this many points per series (its "safe" resolution). */
const SAFE_RESOLUTION = 11_000;

/** Grafana's interval rounding: the nearest "nice" interval below a bucket's upper edge. */
const ROUNDING: ReadonlyArray<readonly [below: number, rounded: number]> = [
  [10, 1],
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1.5 * SECOND, SECOND],
  [3.5 * SECOND, 2 * SECOND],
  [7.5 * SECOND, 5 * SECOND],
  [12.5 * SECOND, 10 * SECOND],
  [17.5 * SECOND, 15 * SECOND],
  [25 * SECOND, 20 * SECOND],
  [45 * SECOND, 30 * SECOND],
  [1.5 * MINUTE, MINUTE],
  [3.5 * MINUTE, 2 * MINUTE],
  [7.5 * MINUTE, 5 * MINUTE],
  [12.5 * MINUTE, 10 * MINUTE],
  [17.5 * MINUTE, 15 * MINUTE],
  [25 * MINUTE, 20 * MINUTE],
  [45 * MINUTE, 30 * MINUTE],
  [1.5 * HOUR, HOUR],
  [3.5 * HOUR, 2 * HOUR],
  [7.5 * HOUR, 5 * HOUR],
  [12.5 * HOUR, 10 * HOUR],
  [17.5 * HOUR, 15 * HOUR],
  [36 * HOUR, DAY],
  [7 * DAY, 7 * DAY],
];

export function roundInterval(ms: number): number {
  for (const [below, rounded] of ROUNDING) if (ms < below) return rounded;
  return 30 * DAY;
}

/** Grafana's short interval text: the largest whole unit (`20s`, `1m`, `2h`, `500ms`). */
export function formatInterval(ms: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['y', 365 * DAY],
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
    ['ms', 1],
  ];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
}

/** Go's `time.Duration.String()`, which Grafana uses to print `$__rate_interval` (`1m0s`, `35s`). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < SECOND) return `${ms}ms`;
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = (ms % MINUTE) / SECOND;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** Parses Grafana/Prometheus interval text (`15s`, `1m30s`, `500ms`). */
export function parseInterval(text: string): number {
  const units: Readonly<Record<string, number>> = {
    ms: 1,
    s: SECOND,
    m: MINUTE,
    h: HOUR,
    d: DAY,
    w: 7 * DAY,
    y: 365 * DAY,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) {
    throw new Error(`"${text}" is not an interval Grafana understands`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

export interface TimingInput {
  readonly fromMs: number;
  readonly toMs: number;
  /** The panel's data points: its `maxDataPoints`, else its width in pixels. */
  readonly maxDataPoints: number;
  /** The query's or panel's min interval, else the data source's scrape interval. */
  readonly minIntervalMs: number;
  /** The data source's scrape interval (jsonData.timeInterval, default 15s). */
  readonly scrapeIntervalMs: number;
}

export interface QueryTiming {
  /** `$__interval` and the step of a range query. */
  readonly intervalMs: number;
  readonly rateIntervalMs: number;
  readonly rangeMs: number;
}

/**
 * The interval Grafana computes for a Prometheus query: the range over the data points, rounded,
 * at least the min interval and at least the safe-resolution interval; `$__rate_interval` is
 * max(`$__interval` + scrape interval, 4 × scrape interval).
 */
export function queryTiming(input: TimingInput): QueryTiming {
  const rangeMs = input.toMs - input.fromMs;
  const raw = rangeMs / Math.max(1, input.maxDataPoints);
  const calculated = raw < input.minIntervalMs ? input.minIntervalMs : roundInterval(raw);
  const intervalMs = Math.max(calculated, roundInterval(rangeMs / SAFE_RESOLUTION));
  const rateIntervalMs = Math.max(intervalMs + input.scrapeIntervalMs, 4 * input.scrapeIntervalMs);
  return { intervalMs, rateIntervalMs, rangeMs };
}

/** `now-6h`, `now`, `now-30m` → epoch ms. Rounding suffixes (`/d`) are not used by our dashboards. */
export function resolveTime(text: string, now: number): number {
  if (text === 'now') return now;
  const relative = /^now-(.+)$/.exec(text);
  if (relative) return now - parseInterval(relative[1]!);
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute)) throw new Error(`time "${text}" is not one Grafana would accept here`);
  return absolute;
}

/** The built-in variables of a query, by name, as Grafana substitutes them. */
export function builtinVariables(timing: QueryTiming): Record<string, string> {
  const rangeSeconds = Math.round(timing.rangeMs / SECOND);
  return {
    __interval: formatInterval(timing.intervalMs),
    __interval_ms: String(timing.intervalMs),
    __rate_interval: goDuration(timing.rateIntervalMs),
    __rate_interval_ms: String(timing.rateIntervalMs),
    __range: `${rangeSeconds}s`,
    __range_s: String(rangeSeconds),
    __range_ms: String(timing.rangeMs),
  };
}

/** A template variable's current selection: one value, several, or "All". */
export interface VariableValue {
  readonly values: readonly string[];
  readonly all: boolean;
  /** The variable's `allValue` (e.g. `.*`), used as is when "All" is selected. */
  readonly customAllValue?: string;
  readonly multi: boolean;
  readonly includeAll: boolean;
}

/** Escapes a value for a Prometheus regex matcher inside a double-quoted PromQL string. */
function regexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/** A single value in a quoted PromQL string: backslashes and quotes escaped. */
function plainEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

/**
 * A variable's text in a Prometheus query, as the data source interpolates it: a single-valued
 * variable as is; a multi-value or include-all one as a regex alternation of escaped values; "All"
 * with a custom all value as that value; and the explicit formats `regex`, `pipe`, `csv`, `raw`.
 */
export function formatVariable(value: VariableValue, format: string | undefined): string {
  if (value.all && value.customAllValue !== undefined && (format === undefined || format === 'regex')) {
    return value.customAllValue;
  }
  const values = value.values;
  switch (format) {
    case undefined: {
      if (!value.multi && !value.includeAll) return plainEscape(values[0] ?? '');
      const escaped = values.map(regexEscape);
      return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
    }
    case 'regex': {
      const escaped = values.map((v) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&'));
      return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
    }
    case 'pipe':
      return values.join('|');
    case 'csv':
      return values.join(',');
    case 'raw':
    case 'text':
      return values.join(',');
    default:
      throw new Error(`variable format "${format}" is not supported by the end-to-end resolver`);
  }
}

/** `$var`, `${var}`, `${var:format}`, `[[var]]` and `[[var:format]]`, as Grafana's template service matches them. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/**
 * Replaces every variable of `text`: built-ins first (`$__rate_interval`), then the dashboard's.
 * A name that is neither is an error naming it, because Grafana would send it to Prometheus as is.
 */
export function interpolate(
  text: string,
  builtins: Readonly<Record<string, string>>,
  variables: ReadonlyMap<string, VariableValue>,
): string {
  return text.replace(
    VARIABLE,
    (
      match,
      plain?: string,
      bracket?: string,
      bracketFormat?: string,
      braced?: string,
      bracedFormat?: string,
    ) => {
      const name = (plain ?? bracket ?? braced)!;
      const format = bracketFormat ?? bracedFormat;
      const builtin = builtins[name];
      if (builtin !== undefined) return builtin;
      const variable = variables.get(name);
      if (!variable)
        throw new Error(`${match} is neither a Grafana built-in nor a variable of the dashboard`);
      return formatVariable(variable, format);
    },
  );
}
