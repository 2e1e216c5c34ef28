import { O11yError } from '@o11y/core';

/**
 * promtool's expanding notation for input series values, built from typed pieces so a test reads as a
 * story: `values(linear(0, 10, 60), stale())` → `'0+10x60 stale'`.
 */
export type ValuesPiece =
  | { readonly kind: 'linear'; readonly start: number; readonly step: number; readonly times: number }
  | { readonly kind: 'constant'; readonly value: number; readonly times: number }
  | { readonly kind: 'missing'; readonly times: number }
  | { readonly kind: 'stale' };

/** `start+stepxtimes`: `times + 1` samples from `start`, each `step` more (a counter at a steady rate). */
export function linear(start: number, step: number, times: number): ValuesPiece {
  return { kind: 'linear', start, step, times: count(times) };
}

/** `valuextimes`: the same value `times + 1` times. */
export function constant(value: number, times: number): ValuesPiece {
  return { kind: 'constant', value, times: count(times) };
}

/** `_xtimes`: `times` scrapes without a sample (the series is missing, not stale). */
export function missing(times: number): ValuesPiece {
  return { kind: 'missing', times: count(times) };
}

/** `stale`: a staleness marker, as when a target disappears. */
export function stale(): ValuesPiece {
  return { kind: 'stale' };
}

function count(times: number): number {
  if (!Number.isInteger(times) || times < 0) {
    throw new O11yError(`a repeat count must be a whole number ≥ 0, not ${times}`, { id: 'promtool/values' });
  }
  return times;
}

/** A number as promtool reads it: plain decimal (`-0.5`, `1e-9` stays exact as Go parses it). */
function num(value: number): string {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : '-Inf';
  }
  return String(value);
}

function piece(p: ValuesPiece): string {
  switch (p.kind) {
    case 'linear':
      return `${num(p.start)}${p.step < 0 ? '-' : '+'}${num(Math.abs(p.step))}x${p.times}`;
    case 'constant':
      return `${num(p.value)}x${p.times}`;
    case 'missing':
      return p.times === 1 ? '_' : `_x${p.times}`;
    case 'stale':
      return 'stale';
  }
}

/** The promtool `values` string of a sequence of pieces. */
export function values(...pieces: readonly ValuesPiece[]): string {
  if (pieces.length === 0) throw new O11yError('an input series needs values', { id: 'promtool/values' });
  return pieces.map(piece).join(' ');
}

/** How many samples (including missing and stale slots) a values string of these pieces spans. */
export function sampleCount(pieces: readonly ValuesPiece[]): number {
  return pieces.reduce(
    (n, p) => n + (p.kind === 'stale' ? 1 : p.kind === 'missing' ? p.times : p.times + 1),
    0,
  );
}

/**
 * A counter that grows by `perStep[i]` for `steps[i]` scrapes in turn, starting at 0: the input of burn
 * scenarios (healthy, then burning). Yields one sample at time 0 plus one per step.
 */
export function counterSegments(
  segments: ReadonlyArray<{ readonly steps: number; readonly perStep: number }>,
): string {
  const pieces: ValuesPiece[] = [];
  let value = 0;
  segments.forEach(({ steps, perStep }, index) => {
    if (steps <= 0) return;
    if (index === 0 || pieces.length === 0) {
      pieces.push(linear(0, perStep, steps));
    } else {
      pieces.push(linear(round(value + perStep), perStep, steps - 1));
    }
    value = round(value + perStep * steps);
  });
  return values(...pieces);
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}
