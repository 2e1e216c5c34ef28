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

const TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const SUFFIXES: Record<ExpositionType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
};
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

/** `name{labels} value [timestamp]`, where the name may also be a quoted string inside the braces. */
function parseSample(reader: Reader): Omit<ExpositionSample, 'line'> {
  let name = reader.peek() === '{' ? '' : reader.name();
  const labels: Record<string, string> = {};
  reader.skipBlanks();
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
  if (name === '') reader.fail('sample without a metric name');
  reader.skipBlanks();
  const valueText = reader.token();
  if (valueText === '') reader.fail('sample without a value');
  const value = parseValue(reader, valueText);
  reader.skipBlanks();
  const timestampText = reader.token();
  reader.skipBlanks();
  if (reader.rest() !== '') reader.fail(`unexpected "${reader.rest()}" after the sample`);
  if (timestampText === '') return { name, labels, value };
  if (!/^-?\d+$/.test(timestampText)) reader.fail(`invalid timestamp "${timestampText}"`);
  return { name, labels, value, timestamp: Number(timestampText) };
}

interface FamilyBuilder {
  name: string;
  type: ExpositionType;
  help?: string;
  samples: ExpositionSample[];
  sawSample: boolean;
  typed: boolean;
}

/** The family a sample belongs to: its own name, or the histogram/summary whose suffix it carries. */
function familyOf(families: Map<string, FamilyBuilder>, sampleName: string): FamilyBuilder | undefined {
  const own = families.get(sampleName);
  if (own && SUFFIXES[own.type].includes('')) return own;
  for (const suffix of ['_bucket', '_sum', '_count', '_created']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && SUFFIXES[family.type].includes(suffix)) return family;
  }
  return own;
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4): HELP and TYPE lines, label value and
 * HELP escapes, histograms and summaries grouped with their `_bucket`/`_sum`/`_count` series, optional
 * timestamps. Throws an O11yError naming the line on malformed input.
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
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const reader = new Reader(line, index + 1);
    reader.skipBlanks();
    if (reader.rest() === '') return;
    if (reader.peek() === '#') {
      reader.index++;
      reader.skipBlanks();
      const keyword = reader.token();
      if (keyword !== 'HELP' && keyword !== 'TYPE') return;
      reader.skipBlanks();
      const name = reader.name();
      const target = family(name);
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
      if (!TYPES.includes(type) || reader.rest() !== '') reader.fail(`invalid TYPE line for ${name}`);
      if (target.sawSample) reader.fail(`TYPE line for ${name} comes after its samples`);
      if (target.typed) reader.fail(`second TYPE line for ${name}`);
      target.typed = true;
      target.type = type as ExpositionType;
      return;
    }
    const sample = parseSample(reader);
    const owner = familyOf(families, sample.name) ?? family(sample.name);
    owner.sawSample = true;
    owner.samples.push({ ...sample, line: index + 1 });
  });
  return [...families.values()].map(({ name, type, help, samples }) => ({
    name,
    type,
    ...(help !== undefined && { help }),
    samples,
  }));
}
