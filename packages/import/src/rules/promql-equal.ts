import { compareCodePoints, stableStringify } from '@o11y/core';
import { type Node, parse } from '@o11y/promql';

/** Node fields that say where or how something was written, not what it means. */
const SPELLING = new Set(['start', 'end', 'wrapped', 'duration']);

function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  if (record.type === 'Paren') return normalise(record.expr);
  if (record.type === 'Unary' && record.op === '+') return normalise(record.expr);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (SPELLING.has(key)) continue;
    if (key === 'matchers' && Array.isArray(value)) {
      out[key] = value
        .map((m) => stableStringify(m))
        .sort(compareCodePoints)
        .map((m) => JSON.parse(m) as unknown);
      continue;
    }
    out[key] = normalise(value);
  }
  return out;
}

/** The meaning of a PromQL expression as Prometheus parses it, without positions, parentheses or matcher order. */
export function promqlMeaning(expr: string): string | undefined {
  const result = parse(expr);
  return result.ok ? stableStringify(normalise(result.expr as Node)) : undefined;
}

/** Whether two expressions parse to the same tree (parentheses, spacing and matcher order aside). */
export function samePromQL(a: string, b: string): boolean {
  const meaning = promqlMeaning(a);
  return meaning !== undefined && meaning === promqlMeaning(b);
}
