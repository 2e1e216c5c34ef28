import { stringify } from 'yaml';

/**
 * The YAML of the last documents written, by their JSON: `o11y dev` rebuilds after every save and most
 * rule files are then what they were, while the YAML printer was a fifth of a rebuild. Bounded, oldest
 * out first, so a large organisation's one-shot build pays a JSON print per file and no more memory
 * than this many documents.
 */
const recent = new Map<string, string>();
const RECENT_DOCUMENTS = 2048;

/** JSON prints NaN, ±Infinity as null and -0 as 0, YAML does not: the key keeps them apart. */
const faithful = (_key: string, value: unknown) =>
  typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)) ? `\u0000${value}` : value;

/** YAML as every output of this package is written: block style, no line folding, no aliases. */
export function toYaml(value: unknown): string {
  const key = JSON.stringify(value, faithful);
  const known = recent.get(key);
  if (known !== undefined) return known;
  const text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, indent: 2 });
  if (recent.size >= RECENT_DOCUMENTS) recent.delete(recent.keys().next().value!);
  recent.set(key, text);
  return text;
}
