import { seededRandom } from '@o11y/core';
import { REALISTIC } from './realistic.ts';
import { sameAsNative } from './support.ts';

const METRICS = [
  'up',
  'http_requests_total',
  'node_cpu_seconds_total',
  'a:b:rate5m',
  'foo',
  'bool',
  'offset',
  'sum',
];
const LABELS = ['job', 'instance', '__name__', 'le', 'status', 'by', 'on', 'ü'];
const MATCH_OPS = ['=', '!=', '=~', '!~'];
const VALUES = ['"api"', "'5..'", '`raw\\n`', '"a\\"b"', '"(.*"', '""', '"\\xff"', '"😀"', '".+"'];
const FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'abs',
  'absent',
  'histogram_quantile',
  'label_replace',
  'label_join',
  'clamp_max',
  'time',
  'vector',
  'scalar',
  'sort_by_label',
  'predict_linear',
  'avg_over_time',
  'info',
  'double_exponential_smoothing',
  'timestamp',
  'nosuchfn',
  'round',
  'mad_over_time',
];
const AGGREGATES = [
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'stddev',
  'group',
  'limitk',
  'limit_ratio',
];
const BINARY = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'and',
  'or',
  'unless',
  'atan2',
];
const NUMBERS = ['1', '0.5', '1e3', '0x1f', 'Inf', '-Inf', 'NaN', '.5', '5.', '1_000', '0777', '1e999'];
const DURATIONS = [
  '5m',
  '1h30m',
  '30s',
  '1d',
  '100ms',
  '0s',
  '1y',
  '5m1h',
  '300',
  '1.5',
  'step()',
  'range()',
  '5m+1m',
  'max_of(1m, step())',
  '-5m',
];
const JUNK = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '@',
  '#',
  '"',
  "'",
  '`',
  '\\',
  '\n',
  ' ',
  '\t',
  '$',
  '=',
  '~',
  '!',
  'é',
  '😀',
  '\ud800',
  '\u0000',
  'by',
  'without',
  'offset',
  'bool',
  'on',
  'group_left',
  'start()',
  'end()',
  'anchored',
  'smoothed',
  'fill(0)',
];

type Random = () => number;
const pick = <T>(next: Random, list: readonly T[]): T => list[Math.floor(next() * list.length)]!;

/** A random expression from a loose grammar: mostly valid-looking, often subtly wrong. */
export function generate(next: Random, depth = 0): string {
  const choice = depth > 3 ? next() * 0.35 : next();
  if (choice < 0.15) return selector(next);
  if (choice < 0.22) return pick(next, NUMBERS);
  if (choice < 0.27) return pick(next, VALUES);
  if (choice < 0.35) return `${selector(next)}[${pick(next, DURATIONS)}]${modifiers(next)}`;
  if (choice < 0.5) {
    const args = Array.from({ length: Math.floor(next() * 3) + 1 }, () => generate(next, depth + 1));
    return `${pick(next, FUNCTIONS)}(${args.join(', ')})`;
  }
  if (choice < 0.65) {
    const op = pick(next, AGGREGATES);
    const grouping =
      next() < 0.5 ? ` ${pick(next, ['by', 'without'])} (${pick(next, LABELS)}, ${pick(next, LABELS)})` : '';
    const param = next() < 0.3 ? `${pick(next, NUMBERS)}, ` : '';
    return `${op}${grouping} (${param}${generate(next, depth + 1)})`;
  }
  if (choice < 0.85) {
    const matching =
      next() < 0.3
        ? ` ${pick(next, ['on', 'ignoring'])} (${pick(next, LABELS)})${next() < 0.5 ? ` ${pick(next, ['group_left', 'group_right'])}` : ''}`
        : '';
    const bool = next() < 0.15 ? ' bool' : '';
    return `${generate(next, depth + 1)} ${pick(next, BINARY)}${bool}${matching} ${generate(next, depth + 1)}`;
  }
  if (choice < 0.9)
    return `(${generate(next, depth + 1)})[${pick(next, DURATIONS)}:${next() < 0.5 ? pick(next, DURATIONS) : ''}]`;
  if (choice < 0.95) return `-${generate(next, depth + 1)}`;
  return `(${generate(next, depth + 1)})`;
}

function selector(next: Random): string {
  const matchers = Array.from(
    { length: Math.floor(next() * 3) },
    () => `${pick(next, LABELS)}${pick(next, MATCH_OPS)}${pick(next, VALUES)}`,
  );
  const name = next() < 0.85 ? pick(next, METRICS) : '';
  const braces = matchers.length > 0 || name === '' ? `{${matchers.join(',')}}` : '';
  return `${name}${braces}${modifiers(next)}`;
}

function modifiers(next: Random): string {
  let out = '';
  if (next() < 0.15) out += ` offset ${pick(next, DURATIONS)}`;
  if (next() < 0.1) out += ` @ ${pick(next, ['1609746000', 'start()', 'end()', '-1', 'Inf'])}`;
  if (next() < 0.03) out += ` ${pick(next, ['anchored', 'smoothed'])}`;
  return out;
}

/** A random edit of a seed: cut, duplicate, insert junk, swap, truncate. */
export function mutate(next: Random, seed: string): string {
  let text = seed;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (text.length + 1));
    const kind = next();
    if (kind < 0.3) text = text.slice(0, at) + pick(next, JUNK) + text.slice(at);
    else if (kind < 0.55) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 5));
    else if (kind < 0.7)
      text = text.slice(0, at) + text.slice(Math.floor(next() * text.length)).slice(0, 20) + text.slice(at);
    else if (kind < 0.85 && text.length > 1) {
      const other = Math.floor(next() * text.length);
      const chars = [...text];
      [chars[at % chars.length], chars[other % chars.length]] = [
        chars[other % chars.length]!,
        chars[at % chars.length]!,
      ];
      text = chars.join('');
    } else text = text.slice(0, at);
  }
  return text;
}

/** Noise from PromQL's alphabet, to reach the lexer's corners. */
function noise(next: Random): string {
  return Array.from({ length: Math.floor(next() * 40) }, () =>
    next() < 0.6 ? pick(next, JUNK) : String.fromCharCode(32 + Math.floor(next() * 95)),
  ).join('');
}

/** `count` inputs: a third generated, most of the rest mutations of generated and realistic ones, some noise. */
export function fuzzInputs(count: number, seed: number, extraSeeds: readonly string[] = []): string[] {
  const next = seededRandom(seed);
  const seeds = [...REALISTIC, ...extraSeeds];
  const out: string[] = [];
  while (out.length < count) {
    const choice = next();
    if (choice < 0.35) out.push(generate(next));
    else if (choice < 0.6) out.push(mutate(next, pick(next, seeds)));
    else if (choice < 0.9) out.push(mutate(next, generate(next)));
    else out.push(noise(next));
  }
  return out;
}

export interface FuzzFailure {
  readonly input: string;
  readonly flags: number;
  readonly problem: string;
}

interface RawSpan {
  start: number;
  end: number;
}

/** Flags to fuzz with: mostly the defaults, every fourth input with every experimental feature on. */
export const fuzzFlags = (index: number): number => (index % 4 === 3 ? 15 : 2);

/**
 * Checks that the binding answered every input with a tree or with positioned errors (spans inside
 * the input, lines and columns from 1), and that its JSON is byte-identical to the native parser's.
 * `call` is the wasm binding's raw entry point and `oracle` the native one, injected so that this
 * module stays free of either.
 */
export function checkFuzzBatch(
  inputs: readonly string[],
  call: (kind: 'parse' | 'prettify', expr: string, flags: number) => string,
  oracle: (requests: { expr: string; flags: number; prettify?: boolean }[]) => string[],
): { failures: FuzzFailure[]; accepted: number } {
  const requests = inputs.map((expr, index) => ({
    expr,
    flags: fuzzFlags(index),
    prettify: index % 10 === 9,
  }));
  const expected = oracle(requests);
  const failures: FuzzFailure[] = [];
  let accepted = 0;
  requests.forEach((request, index) => {
    const fail = (problem: string) => failures.push({ input: request.expr, flags: request.flags, problem });
    let raw: string;
    try {
      raw = call(request.prettify ? 'prettify' : 'parse', request.expr, request.flags);
    } catch (error) {
      fail(`threw ${(error as Error).message}`);
      return;
    }
    if (!sameAsNative(raw, expected[index]))
      fail(`differs from native: ${raw.slice(0, 200)} vs ${expected[index]?.slice(0, 200)}`);
    const result = JSON.parse(raw) as {
      ok: boolean;
      errors?: (RawSpan & { line: number; column: number; message: string })[];
      expr?: unknown;
    };
    const length = request.expr.length;
    const inside = (span: RawSpan) =>
      Number.isInteger(span.start) && span.start >= 0 && span.start <= span.end && span.end <= length;
    if (result.ok) {
      accepted++;
      if (!request.prettify && !spansInside(result.expr, inside)) fail('node span outside the input');
    } else if (!result.errors?.length) fail('rejected without errors');
    else if (!result.errors.every((e) => inside(e) && e.line >= 1 && e.column >= 1 && e.message.length > 0)) {
      fail(`bad error position ${JSON.stringify(result.errors)}`);
    }
  });
  return { failures, accepted };
}

function spansInside(value: unknown, inside: (span: RawSpan) => boolean): boolean {
  if (Array.isArray(value)) return value.every((item) => spansInside(item, inside));
  if (!value || typeof value !== 'object') return true;
  const record = value as Record<string, unknown>;
  if (
    typeof record.type === 'string' &&
    typeof record.start === 'number' &&
    !inside(record as unknown as RawSpan)
  )
    return false;
  return Object.values(record).every((item) => spansInside(item, inside));
}
