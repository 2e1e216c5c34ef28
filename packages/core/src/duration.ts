import { O11yError } from './errors.ts';

type Unit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y';
/** A Prometheus duration literal such as `5m`, `1h30m`, `30d`. Checked fully at runtime by parseDuration. */
export type Duration =
  | `${number}${Unit}`
  | `${number}${Unit}${number}${Unit}`
  | `${number}${Unit}${number}${Unit}${number}${Unit}`;

const UNIT_MS: Record<Unit, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};
const ORDER: Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|s|m|h|d|w|y)/y;

/** Milliseconds of a Prometheus duration; units must appear largest first, as Prometheus requires. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  let total = 0;
  let index = 0;
  let lastOrder = -1;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (!match)
      throw new O11yError(`invalid duration "${text}"`, {
        hint: 'use a Prometheus duration like 30s, 5m, 1h30m or 30d',
      });
    const unit = match[2] as Unit;
    const order = ORDER.indexOf(unit);
    if (order <= lastOrder)
      throw new O11yError(`invalid duration "${text}": units must go from largest to smallest`);
    lastOrder = order;
    total += Number(match[1]) * UNIT_MS[unit];
    index = PART.lastIndex;
  }
  if (index === 0) throw new O11yError(`invalid duration "${text}"`);
  return total;
}

/** The canonical Prometheus spelling of a duration in milliseconds (`90m` → `1h30m`, 0 → `0s`). */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new O11yError(`cannot format duration of ${ms} ms`);
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ORDER) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

/**
 * Go's `time.Duration.String()` (whole milliseconds): `90s` → `1m30s`, `1h` → `1h0m0s`. Grafana answers
 * with it (`for` of an alert rule, `$__rate_interval`).
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
