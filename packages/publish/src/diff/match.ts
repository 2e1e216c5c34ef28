export interface Matched<T> {
  /** Pairs in the order of the new version. */
  readonly pairs: ReadonlyArray<readonly [before: T, after: T]>;
  readonly added: readonly T[];
  readonly removed: readonly T[];
}

/**
 * Pairs the items of two versions of a list by each key in turn — identity first (a uid, a title,
 * a rule name), then content, or content first where the identity is only a position (a refId) — so
 * inserting an item in the middle shows that item as added instead of shifting every later one.
 * Each item pairs at most once, in order of appearance; what is left was added or removed.
 */
export function matchItems<T>(
  before: readonly T[],
  after: readonly T[],
  keys: ReadonlyArray<(item: T) => string>,
): Matched<T> {
  const partnerOf = new Map<number, number>(); // after index → before index
  const pairedBefore = new Set<number>();
  for (const key of keys) {
    const waiting = new Map<string, number[]>();
    before.forEach((item, i) => {
      if (pairedBefore.has(i)) return;
      const k = key(item);
      waiting.set(k, [...(waiting.get(k) ?? []), i]);
    });
    after.forEach((item, j) => {
      if (partnerOf.has(j)) return;
      const i = waiting.get(key(item))?.shift();
      if (i === undefined) return;
      partnerOf.set(j, i);
      pairedBefore.add(i);
    });
  }
  return {
    pairs: after.flatMap((item, j) => {
      const i = partnerOf.get(j);
      return i === undefined ? [] : [[before[i]!, item] as const];
    }),
    added: after.filter((_, j) => !partnerOf.has(j)),
    removed: before.filter((_, i) => !pairedBefore.has(i)),
  };
}
