import { stringify } from 'yaml';

/** YAML as every output of this package is written: block style, no line folding, no aliases. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, indent: 2 });
}
