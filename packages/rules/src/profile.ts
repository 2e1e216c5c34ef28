import { formatDuration, parseDuration } from '@o11y/core';

/**
 * The `test` build profile (`o11y build --profile test`) is for the end-to-end stack, where a run lasts
 * minutes: Prometheus scrapes and evaluates every `interval`, and time runs `compression` times faster.
 * Every duration the rules state is then a logical one that the build compresses: SLO periods and
 * windows (`30d` → `12h`, `1h` → `1m`, `5m` → `5s`) and alerts' `for` and `keep_firing_for`. Burn-rate
 * factors, thresholds and series names stay the same (`slo:sli_error:ratio_rate5m` still names the `5m`
 * window, then 5 s long), so dashboards read the same series in both profiles. Range selectors that
 * hand-written rules spell out are not compressed.
 */
export const TEST_PROFILE = {
  name: 'test',
  interval: '1s',
  compression: 60,
} as const;

/** How a build profile runs time: the factor durations are divided by and the scrape interval. */
export interface TimeCompression {
  readonly factor: number;
  readonly scrapeIntervalMs: number;
}

/** The time compression of a build profile; undefined when it runs in real time (the default profile). */
export function timeCompression(profile: string): TimeCompression | undefined {
  return profile === TEST_PROFILE.name
    ? { factor: TEST_PROFILE.compression, scrapeIntervalMs: parseDuration(TEST_PROFILE.interval) }
    : undefined;
}

/** A logical duration as a time-compressed build deploys it, to the millisecond (`4m40s` → `4s667ms`). */
export function compressDuration(duration: string, compression: TimeCompression | undefined): string {
  if (!compression) return duration;
  return formatDuration(Math.max(1, Math.round(parseDuration(duration) / compression.factor)));
}
