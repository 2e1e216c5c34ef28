import { O11yError } from '@o11y/core';

export type ExpositionType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ExpositionSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestamp?: number;
  /** 1-based line in the exposition. */
  readonly line: number;
}

/** One metric family: the samples sharing a HELP/TYPE (a histogram's `_bucket`, `_sum`, `_count` included). */
export interface ExpositionFamily {
  readonly name: string;
  readonly type: ExpositionType;
  readonly help?: string;
  readonly samples: readonly ExpositionSample[];
}

/** A TYPE line's type: the text format's, and OpenMetrics' own. */
type DeclaredType = ExpositionType | 'unknown' | 'info' | 'stateset' | 'gaugehistogram';

/**
 * Each format's types, the suffixes their samples carry, the type Prometheus stores them as, and
 * the suffix of the series name it stores (an OpenMetrics counter `x` is stored as `x_total`, an info
 * metric `x` as the gauge `x_info`; the text format names the series itself).
 */
interface TypeRule {
  readonly suffixes: readonly string[];
  readonly stored: ExpositionType;
  readonly storedSuffix: string;
}
const TEXT_TYPES: Readonly<Partial<Record<DeclaredType, TypeRule>>> = {
  counter: { suffixes: [''], stored: 'counter', storedSuffix: '' },
  gauge: { suffixes: [''], stored: 'gauge', storedSuffix: '' },
  untyped: { suffixes: [''], stored: 'untyped', storedSuffix: '' },
  histogram: { suffixes: ['_bucket', '_sum', '_count', '_created'], stored: 'histogram', storedSuffix: '' },
  summary: { suffixes: ['', '_sum', '_count', '_created'], stored: 'summary', storedSuffix: '' },
};
const OPENMETRICS_TYPES: Readonly<Partial<Record<DeclaredType, TypeRule>>> = {
  counter: { suffixes: ['_total', '_created'], stored: 'counter', storedSuffix: '_total' },
  gauge: TEXT_TYPES.gauge!,
  unknown: { suffixes: [''], stored: 'untyped', storedSuffix: '' },
  stateset: { suffixes: [''], stored: 'gauge', storedSuffix: '' },
  info: { suffixes: ['_info'], stored: 'gauge', storedSuffix: '_info' },
  histogram: TEXT_TYPES.histogram!,
  gaugehistogram: { suffixes: ['_bucket', '_gsum', '_gcount'], stored: 'histogram', storedSuffix: '' },
  summary: TEXT_TYPES.summary!,
};
/** Every suffix a sample may carry after its family's name, in either format. */
const ALL_SUFFIXES = [
  ...new Set(
    [...Object.values(TEXT_TYPES), ...Object.values(OPENMETRICS_TYPES)].flatMap((rule) => rule.suffixes),
  ),
].filter((suffix) => suffix !== '');
const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;

class Reader {
  index = 0;
  constructor(
    readonly text: string,
    readonly line: number,
  ) {}

  fail(message: string): never {
    throw new O11yError(`exposition line ${this.line}: ${message}`, {
      id: 'exposition/syntax',
      hint: 'the text format is described at https://prometheus.io/docs/instrumenting/exposition_formats/',
    });
  }

  peek(): string | undefined {
    return this.text[this.index];
  }

  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.index++;
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}" at column ${this.index + 1}`);
    this.index++;
  }

  name(): string {
    const start = this.index;
    if (!NAME_START.test(this.peek() ?? '')) this.fail(`expected a name at column ${this.index + 1}`);
    while (NAME_CHAR.test(this.peek() ?? '')) this.index++;
    return this.text.slice(start, this.index);
  }

  /** A double-quoted string with the text format's escapes `\\`, `\"` and `\n`. */
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) this.fail('unterminated string');
      this.index++;
      if (char === '"') return out;
      if (char !== '\\') {
        out += char;
        continue;
      }
      const escaped = this.peek();
      this.index++;
      if (escaped === 'n') out += '\n';
      else if (escaped === '\\' || escaped === '"') out += escaped;
      else this.fail(`invalid escape "\\${escaped ?? ''}" in string`);
    }
  }

  /** A token up to the next blank or the end of the line. */
  token(): string {
    const start = this.index;
    while (this.index < this.text.length && this.peek() !== ' ' && this.peek() !== '\t') this.index++;
    return this.text.slice(start, this.index);
  }

  rest(): string {
    return this.text.slice(this.index);
  }
}

/** HELP text escapes: `\\` and `\n` only. */
function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

function parseValue(reader: Reader, text: string): number {
  if (/^[+-]?Inf$/i.test(text))
    return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^NaN$/i.test(text)) return Number.NaN;
  // Go's ParseFloat syntax minus hex floats and underscores, which exporters never write.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) reader.fail(`invalid sample value "${text}"`);
  return Number(text);
}

/** `{labels}` after a name, or alone, where a quoted first key is the name (`{"name", …}`). */
function parseLabels(reader: Reader, named: string): { name: string; labels: Record<string, string> } {
  let name = named;
  reader.skipBlanks();
  const labels: Record<string, string> = {};
  if (reader.peek() === '{') {
    reader.index++;
    for (;;) {
      reader.skipBlanks();
      if (reader.peek() === '}') break;
      const key = reader.peek() === '"' ? reader.quoted() : reader.name();
      reader.skipBlanks();
      if (name === '' && Object.keys(labels).length === 0 && reader.peek() !== '=') {
        name = key;
      } else {
        reader.expect('=');
        reader.skipBlanks();
        if (key in labels) reader.fail(`label "${key}" appears twice`);
        labels[key] = reader.quoted();
      }
      reader.skipBlanks();
      if (reader.peek() === ',') {
        reader.index++;
        continue;
      }
      if (reader.peek() !== '}') reader.fail(`expected "," or "}" at column ${reader.index + 1}`);
    }
    reader.expect('}');
  }
  return { name, labels };
}

/**
 * A timestamp in milliseconds: the text format writes integer milliseconds, OpenMetrics seconds with
 * an optional fraction.
 */
function parseTimestamp(reader: Reader, text: string, openMetrics: boolean): number {
  if (openMetrics) {
    if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) reader.fail(`invalid timestamp "${text}"`);
    return Math.round(Number(text) * 1000);
  }
  if (!/^-?\d+$/.test(text)) reader.fail(`invalid timestamp "${text}"`);
  return Number(text);
}

/**
 * `name{labels} value [timestamp]`, where the name may also be a quoted string inside the braces; in
 * OpenMetrics, optionally followed by an exemplar `# {labels} value [timestamp]`, read and left out.
 */
function parseSample(reader: Reader, openMetrics: boolean): Omit<ExpositionSample, 'line'> {
  const read = parseLabels(reader, reader.peek() === '{' ? '' : reader.name());
  const { name, labels } = read;
  if (name === '') reader.fail('sample without a metric name');
  reader.skipBlanks();
  const valueText = reader.token();
  if (valueText === '') reader.fail('sample without a value');
  const value = parseValue(reader, valueText);
  reader.skipBlanks();
  const timestampText = reader.peek() === '#' ? '' : reader.token();
  reader.skipBlanks();
  if (openMetrics && reader.peek() === '#') parseExemplar(reader);
  if (reader.rest() !== '') reader.fail(`unexpected "${reader.rest()}" after the sample`);
  if (timestampText === '') return { name, labels, value };
  return { name, labels, value, timestamp: parseTimestamp(reader, timestampText, openMetrics) };
}

/** ` # {labels} value [timestamp]` after an OpenMetrics sample (a trace id, usually). */
function parseExemplar(reader: Reader): void {
  reader.expect('#');
  reader.skipBlanks();
  if (reader.peek() !== '{') reader.fail(`expected an exemplar's "{" at column ${reader.index + 1}`);
  parseLabels(reader, '');
  reader.skipBlanks();
  const valueText = reader.token();
  if (valueText === '') reader.fail('exemplar without a value');
  parseValue(reader, valueText);
  reader.skipBlanks();
  const timestampText = reader.token();
  if (timestampText !== '') parseTimestamp(reader, timestampText, true);
  reader.skipBlanks();
}

interface FamilyBuilder {
  name: string;
  type: DeclaredType;
  help?: string;
  samples: ExpositionSample[];
  sawSample: boolean;
  typed: boolean;
}

/** The family a sample belongs to: its own name, or the family whose type gives its suffix. */
function familyOf(
  families: Map<string, FamilyBuilder>,
  sampleName: string,
  types: typeof TEXT_TYPES,
): FamilyBuilder | undefined {
  const own = families.get(sampleName);
  if (own && types[own.type]?.suffixes.includes('')) return own;
  for (const suffix of ALL_SUFFIXES) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && types[family.type]?.suffixes.includes(suffix)) return family;
  }
  return own;
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4) and OpenMetrics 1.0 (a text that ends
 * with `# EOF`): HELP and TYPE lines, label value and HELP escapes, histograms and summaries grouped
 * with their `_bucket`/`_sum`/`_count` series, optional timestamps; OpenMetrics' UNIT lines, exemplars
 * and types. Families are named and typed as Prometheus stores them (an OpenMetrics counter `x` is
 * `x_total`), so both formats of one target give the same families. Throws an O11yError naming the
 * line on malformed input.
 */
export function parseExposition(text: string): ExpositionFamily[] {
  const families = new Map<string, FamilyBuilder>();
  const family = (name: string): FamilyBuilder => {
    let existing = families.get(name);
    if (!existing) {
      existing = { name, type: 'untyped', samples: [], sawSample: false, typed: false };
      families.set(name, existing);
    }
    return existing;
  };
  const lines = text.split('\n').map((raw) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw));
  // Not findLastIndex: the organisation's own TypeScript settings type-check this file too (ES2022 suffices).
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  const openMetrics = last >= 0 && lines[last] === '# EOF';
  const types = openMetrics ? OPENMETRICS_TYPES : TEXT_TYPES;
  lines.forEach((line, index) => {
    if (openMetrics && index >= last) return;
    const reader = new Reader(line, index + 1);
    reader.skipBlanks();
    if (reader.rest() === '') return;
    if (reader.peek() === '#') {
      reader.index++;
      reader.skipBlanks();
      const keyword = reader.token();
      if (keyword !== 'HELP' && keyword !== 'TYPE' && !(openMetrics && keyword === 'UNIT')) return;
      reader.skipBlanks();
      const name = reader.name();
      const target = family(name);
      if (keyword === 'UNIT') return;
      if (keyword === 'HELP') {
        if (target.help !== undefined) reader.fail(`second HELP line for ${name}`);
        if (reader.peek() !== undefined && reader.peek() !== ' ' && reader.peek() !== '\t') {
          reader.fail(`invalid metric name in HELP line`);
        }
        reader.skipBlanks();
        target.help = unescapeHelp(reader.rest());
        return;
      }
      reader.skipBlanks();
      const type = reader.token();
      reader.skipBlanks();
      if (!Object.hasOwn(types, type) || reader.rest() !== '') reader.fail(`invalid TYPE line for ${name}`);
      if (target.sawSample) reader.fail(`TYPE line for ${name} comes after its samples`);
      if (target.typed) reader.fail(`second TYPE line for ${name}`);
      target.typed = true;
      target.type = type as DeclaredType;
      return;
    }
    const sample = parseSample(reader, openMetrics);
    const owner = familyOf(families, sample.name, types) ?? family(sample.name);
    owner.sawSample = true;
    owner.samples.push({ ...sample, line: index + 1 });
  });
  return [...families.values()].map(({ name, type, help, samples }) => {
    // An untyped family (no TYPE line) is the text format's untyped in both formats.
    const rule = types[type] ?? TEXT_TYPES.untyped!;
    return {
      name: `${name}${rule.storedSuffix}`,
      type: rule.stored,
      ...(help !== undefined && { help }),
      samples,
    };
  });
}
