import { O11yError } from '@o11y/core';
import { interned } from './interned.ts';

/** A label whose values are all known: selectors may only use these values, and lint counts them exactly. */
export interface ValuesLabel<V extends string = string> {
  readonly kind: 'values';
  readonly values: readonly V[];
}

/** A label whose values are open-ended (ids, routes, pods): only an estimate of how many distinct values exist. */
export interface CardinalityLabel {
  readonly kind: 'cardinality';
  readonly cardinality: number;
}

export type LabelSpec = ValuesLabel | CardinalityLabel;

/** Label name → the values a selector may compare it with (`string` when the values are open-ended). */
export type LabelMap = { readonly [name: string]: string };

/** The value type a label spec allows. */
export type ValueOf<S> = S extends ValuesLabel<infer V> ? V : string;

/** Label specs → label map, e.g. `{ method: ValuesLabel<'GET'|'POST'> }` → `{ method: 'GET'|'POST' }`. */
export type LabelMapOf<Specs> = { readonly [K in keyof Specs & string]: ValueOf<Specs[K]> };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

/**
 * The one spec of each single value: a selector with `label="v"` narrows the label to that value, and
 * a large organisation's definitions made a quarter of a million of them (13 MB at 1,000 services).
 */
const singleValues = new Map<string, ValuesLabel>();

export const label = {
  /** The complete list of values this label takes. */
  values<const V extends string>(values: readonly V[]): ValuesLabel<V> {
    if (values.length === 1) {
      const value = values[0]!;
      return interned(singleValues, value, () =>
        Object.freeze({ kind: 'values', values: Object.freeze([value]) }),
      ) as ValuesLabel<V>;
    }
    if (values.length === 0) throw new O11yError('label.values() needs at least one value');
    if (new Set(values).size !== values.length) {
      throw new O11yError(`label.values() lists a value twice: ${values.join(', ')}`, {
        hint: 'list each value once',
      });
    }
    return Object.freeze({ kind: 'values', values: Object.freeze([...values]) });
  },
  /** An estimate of how many distinct values this label takes (an upper bound, for cardinality budgets). */
  cardinality(cardinality: number): CardinalityLabel {
    if (!Number.isInteger(cardinality) || cardinality < 1) {
      throw new O11yError(`label.cardinality(${cardinality}) must be a positive integer`);
    }
    return Object.freeze({ kind: 'cardinality', cardinality });
  },
} as const;

/** How many distinct values a label spec allows. */
export function distinctValues(spec: LabelSpec): number {
  return spec.kind === 'values' ? spec.values.length : spec.cardinality;
}

const valueSets = new WeakMap<ValuesLabel, ReadonlySet<string>>();

/**
 * A listed label's values as a set, made once per spec: a label with a value per service is matched
 * by a selector per service, so a scan of the list per matcher grows with the square of the services.
 */
export function listedValues(spec: ValuesLabel): ReadonlySet<string> {
  let set = valueSets.get(spec);
  if (!set) {
    set = new Set(spec.values);
    valueSets.set(spec, set);
  }
  return set;
}
