import { Document, stringify } from 'yaml';

const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false, indent: 2 } as const;

/** YAML as every output of this package is written: block style, no line folding, no aliases. */
export function toYaml(value: unknown): string {
  return blockYaml(value) ?? stringify(value, OPTIONS);
}

/** The core schema's types other than strings: a string reading as one of them must be quoted. */
const TYPED_SCALARS = new Document().schema.tags.flatMap((tag) =>
  tag.default && tag.tag !== 'tag:yaml.org,2002:str' && 'test' in tag && tag.test ? [tag.test] : [],
);

/** Characters a plain scalar cannot start with (YAML's indicators, quotes, whitespace). */
const INDICATORS = new Set([...'\t ,[]{}#&*!|>\'"%@`']);

/**
 * Unusual enough to leave to the yaml package: a document marker, a line break, control characters
 * (a tab aside), separators, a byte-order mark and surrogates (characters outside the BMP).
 */
function unusual(value: string): boolean {
  if (value.startsWith('---') || value.startsWith('...')) return true;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) return true;
    if (code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff))
      return true;
  }
  return false;
}

/**
 * A string as the yaml package writes it in block context (as a key or a value, alike for one line):
 * plain where it reads back as the same string, else single-quoted when it holds a double quote and no
 * single one, else double-quoted as JSON. Undefined where the package's own printer must decide.
 */
function scalarString(value: string): string | undefined {
  if (value.length > 1024 || unusual(value)) return undefined;
  const first = value[0];
  const last = value[value.length - 1];
  const plain =
    first !== undefined &&
    !INDICATORS.has(first) &&
    !((first === '?' || first === '-') && (value.length === 1 || value[1] === ' ' || value[1] === '\t')) &&
    !value.includes(': ') &&
    !value.includes(':\t') &&
    !value.includes(' #') &&
    !value.includes('\t#') &&
    last !== ' ' &&
    last !== '\t' &&
    last !== ':' &&
    !TYPED_SCALARS.some((test) => test.test(value));
  if (plain) return value;
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return scalarString(value);
    case 'boolean':
      return String(value);
    case 'number':
      if (Number.isNaN(value)) return '.nan';
      if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    default:
      return value === null ? 'null' : undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** Thrown inside the printer for what it leaves to the yaml package. */
class Unusual {}

/**
 * What the yaml package prints for plain data (records, arrays, strings, finite and non-finite
 * numbers, booleans, null) with this package's options, without building its document tree: the
 * printer was most of the emit stage of a large build. Undefined for anything else (a string with a
 * line break, a record holding `undefined`, an array in an array, …), which the package prints itself;
 * `test/yaml.test.ts` holds the two to the same bytes.
 */
export function blockYaml(value: unknown): string | undefined {
  const lines: string[] = [];
  const text = (item: unknown) => {
    const written = scalar(item);
    if (written === undefined) throw new Unusual();
    return written;
  };
  const map = (record: Record<string, unknown>, indent: string, first: string) => {
    let lead = first;
    for (const [key, item] of Object.entries(record)) {
      if (item === undefined) throw new Unusual();
      const name = `${lead}${text(key)}:`;
      lead = indent;
      if (Array.isArray(item)) {
        if (item.length === 0) lines.push(`${name} []`);
        else {
          lines.push(name);
          seq(item, `${indent}  `);
        }
      } else if (isRecord(item)) {
        if (Object.keys(item).length === 0) lines.push(`${name} {}`);
        else {
          lines.push(name);
          map(item, `${indent}  `, `${indent}  `);
        }
      } else lines.push(`${name} ${text(item)}`);
    }
  };
  const seq = (items: readonly unknown[], indent: string) => {
    for (const item of items) {
      if (Array.isArray(item)) {
        if (item.length > 0) throw new Unusual();
        lines.push(`${indent}- []`);
      } else if (isRecord(item)) {
        if (Object.keys(item).length === 0) lines.push(`${indent}- {}`);
        else map(item, `${indent}  `, `${indent}- `);
      } else lines.push(`${indent}- ${text(item)}`);
    }
  };
  try {
    if (Array.isArray(value) && value.length > 0) seq(value, '');
    else if (isRecord(value) && Object.keys(value).length > 0) map(value, '', '');
    else return undefined;
  } catch (error) {
    if (error instanceof Unusual) return undefined;
    throw error;
  }
  return `${lines.join('\n')}\n`;
}
