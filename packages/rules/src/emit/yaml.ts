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

/**
 * The first characters of the core schema's null (`~`, `null`, the empty string aside), booleans,
 * numbers, `.inf` and `.nan`: a string starting with any other needs none of TYPED_SCALARS' tests,
 * which were most of the printer's time (a rule file's keys and names are such strings).
 */
const TYPED_FIRST = new Set([...'~nNtTfF0123456789+-.']);

/** Characters a plain scalar cannot start with (YAML's indicators, quotes, whitespace). */
const INDICATORS = new Set([...'\t ,[]{}#&*!|>\'"%@`']);

/**
 * Control characters (a tab aside), line and paragraph separators, a byte-order mark and surrogates
 * (characters outside the BMP). One regular expression: the engine's compiled scan, not a loop the
 * printer's single run leaves to the interpreter.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const UNUSUAL_CHARACTERS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

/** Unusual enough to leave to the yaml package: a document marker, or one of UNUSUAL_CHARACTERS. */
function unusual(value: string): boolean {
  return value.startsWith('---') || value.startsWith('...') || UNUSUAL_CHARACTERS.test(value);
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
    !(TYPED_FIRST.has(first) && TYPED_SCALARS.some((test) => test.test(value)));
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

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
}

/** Whether a record has no keys, without the array of them. */
function isEmpty(record: Record<string, unknown>): boolean {
  for (const _ in record) return false;
  return true;
}

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
    for (const key of Object.keys(record)) {
      const item = record[key];
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
        if (isEmpty(item)) lines.push(`${name} {}`);
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
        if (isEmpty(item)) lines.push(`${indent}- {}`);
        else map(item, `${indent}  `, `${indent}- `);
      } else lines.push(`${indent}- ${text(item)}`);
    }
  };
  try {
    if (Array.isArray(value) && value.length > 0) seq(value, '');
    else if (isRecord(value) && !isEmpty(value)) map(value, '', '');
    else return undefined;
  } catch (error) {
    if (error instanceof Unusual) return undefined;
    throw error;
  }
  return `${lines.join('\n')}\n`;
}
