import { fail, type InstantVector } from './vector.ts';

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;

/** The label names a Grafana legend format refers to: `'{{route}} {{ status_code }}'` → `'route' | 'status_code'`. */
export type LegendLabels<S extends string> = S extends `${string}{{${infer Name}}}${infer Rest}`
  ? Trim<Name> | LegendLabels<Rest>
  : never;

/** `S` when every label of the legend is among the query's labels `L`, else a type naming the culprit. */
export type Legend<L extends string, S extends string> = [Exclude<LegendLabels<S>, L>] extends [never]
  ? S
  : `legend label "${Exclude<LegendLabels<S>, L>}" is not returned by the query`;

/** A query with its Grafana legend format, checked against the labels the query returns. */
export interface LegendedQuery<L extends string = string> {
  readonly expr: InstantVector<L>;
  readonly legendFormat: string;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The label names in a legend format, in order of first use. */
export function legendLabels(format: string): string[] {
  return [...new Set([...format.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Throws, naming the caller's line, when the legend uses a label the query does not return. */
export function checkLegend(expr: InstantVector, format: string): void {
  for (const name of legendLabels(format)) {
    if (!expr.labels.includes(name)) {
      fail(
        `legend "${format}" uses label "${name}", which ${expr} does not return`,
        `the query returns ${expr.labels.join(', ') || 'no labels'}; keep the label with by (…) or change the legend`,
      );
    }
  }
}

/** `legend(query, '{{route}} {{status_code}}')`: compile error if the query does not return those labels. */
export function legend<L extends string, const S extends string>(
  expr: InstantVector<L>,
  format: Legend<L, S>,
): LegendedQuery<L> {
  checkLegend(expr, format);
  return Object.freeze({ expr, legendFormat: format });
}
