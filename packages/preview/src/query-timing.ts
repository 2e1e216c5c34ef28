/**
 * The interval, step and range variables Grafana computes for a Prometheus panel query, using
 * @grafana/data's own helpers (`rangeUtil.calculateInterval`, `dateMath.parse`) from the renderer's
 * Node bundle. `$__rate_interval` follows Grafana's Prometheus data source:
 * max(`$__interval` + scrape interval, 4 × scrape interval), printed as a Go duration.
 */
import { goDuration } from '@o11y/core';
import type { GrafanaData } from './renderer.ts';

/** Grafana caps a query at this many points per series (its "safe" resolution). */
const SAFE_RESOLUTION = 11_000;
/** Grafana's default Prometheus scrape interval (data source `jsonData.timeInterval`). */
export const DEFAULT_SCRAPE_INTERVAL = '15s';

export interface TimeRangeMs {
  readonly from: number;
  readonly to: number;
  readonly raw: { readonly from: string; readonly to: string };
}

export interface QueryTiming {
  readonly intervalMs: number;
  readonly rateIntervalMs: number;
  readonly rangeMs: number;
  /**
   * What a range query asks for: Grafana aligns the range to the step, so that points land on the same
   * timestamps on every refresh.
   */
  readonly alignedRange: { readonly fromMs: number; readonly toMs: number };
  /** Built-in variables by name, as Grafana substitutes them. */
  readonly builtins: Readonly<Record<string, string>>;
}

/** `now-1h`, `now`, an ISO date or epoch ms → epoch ms, by Grafana's date math. */
export function resolveTime(grafana: GrafanaData, text: string, now: number, roundUp: boolean): number {
  if (/^\d+$/.test(text)) return Number(text);
  // dateMath.parse reads the clock for `now`; parseDateMath takes it, so a preview can pin it.
  const parsed = text.startsWith('now')
    ? grafana.dateMath.parseDateMath(text.slice('now'.length), grafana.dateTime(now), roundUp)
    : grafana.dateMath.parse(text, roundUp, 'utc');
  const value = parsed?.valueOf();
  if (value === undefined || Number.isNaN(value)) {
    throw new Error(`"${text}" is not a time Grafana understands (e.g. now-1h, now, 2026-01-01T00:00:00Z)`);
  }
  return value;
}

export function queryTiming(
  grafana: GrafanaData,
  range: TimeRangeMs,
  maxDataPoints: number,
  minInterval: string,
  scrapeInterval: string,
): QueryTiming {
  const timeRange = { from: grafana.dateTime(range.from), to: grafana.dateTime(range.to), raw: range.raw };
  const calculated = grafana.rangeUtil.calculateInterval(timeRange, maxDataPoints, minInterval).intervalMs;
  const safe = grafana.rangeUtil.calculateInterval(timeRange, SAFE_RESOLUTION).intervalMs;
  const intervalMs = Math.max(calculated, safe);
  const scrapeMs = grafana.rangeUtil.intervalToMs(scrapeInterval);
  const rateIntervalMs = Math.max(intervalMs + scrapeMs, 4 * scrapeMs);
  const rangeMs = range.to - range.from;
  const rangeS = Math.round(rangeMs / 1000);
  return {
    intervalMs,
    rateIntervalMs,
    rangeMs,
    alignedRange: {
      fromMs: Math.floor(range.from / intervalMs) * intervalMs,
      toMs: Math.floor(range.to / intervalMs) * intervalMs,
    },
    builtins: {
      __interval: grafana.rangeUtil.secondsToHms(intervalMs / 1000),
      __interval_ms: String(intervalMs),
      __rate_interval: goDuration(rateIntervalMs),
      __rate_interval_ms: String(rateIntervalMs),
      __range: `${rangeS}s`,
      __range_s: String(rangeS),
      __range_ms: String(rangeMs),
      __from: String(range.from),
      __to: String(range.to),
    },
  };
}
