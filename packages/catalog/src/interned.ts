/**
 * The one value of `table` for `key`, made by `make` the first time: the catalogue shares its frozen
 * specs, label lists and groupings this way, which a large organisation's definitions would otherwise
 * hold hundreds of thousands of copies of.
 */
export function interned<V>(table: Map<string, V>, key: string, make: () => V): V {
  let value = table.get(key);
  if (value === undefined) {
    value = make();
    table.set(key, value);
  }
  return value;
}

/** A key for a list of label names, which cannot hold a NUL. */
export function labelsKey(labels: readonly string[]): string {
  return labels.join('\u0000');
}
