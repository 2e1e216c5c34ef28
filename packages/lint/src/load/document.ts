import type { SourceLocation } from '@o11y/core';
import type { RuleFileTree } from '@o11y/promql';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Pair,
  parseAllDocuments,
  Scalar,
  type ScalarTag,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

/** Maps an offset inside an expression string to the file position it was written at. */
export type ExpressionOrigin = (offset: number) => SourceLocation;

/** A problem reading a file, at its position. */
export interface ReadProblem {
  readonly message: string;
  readonly source: SourceLocation;
}

/** A file read: its text with positions, the root node of each of its documents, and what could not be read. */
export interface ReadFile {
  readonly document: PositionedDocument;
  readonly roots: readonly Node[];
  readonly errors: readonly ReadProblem[];
}

/**
 * A YAML file's text (JSON is read as YAML so both share one position model) with positions: every
 * rule, panel and query the loaders build points at its file:line. A document embedded in a string
 * of another (a dashboard in a ConfigMap) maps its offsets through `place` to where its characters
 * were written in the outer file. It holds no nodes: what the loaders keep of a file is the model
 * they build, and thousands of files' nodes would stay in memory with it.
 */
export class PositionedDocument {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly lines: LineCounter,
    private readonly place?: ExpressionOrigin,
  ) {}

  /**
   * The root of every document of `text` (`---`-separated; empty ones, as after a trailing `---`,
   * are left out), and the syntax errors of all of them.
   */
  static parseAll(file: string, text: string, place?: ExpressionOrigin): ReadFile {
    const lines = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const list = Array.isArray(parsed) ? parsed : [];
    const document = new PositionedDocument(file, text, lines, place);
    const roots = list.flatMap((parsed) => (parsed.contents === null ? [] : [parsed.contents as Node]));
    const errors = list.flatMap((parsed) =>
      parsed.errors.map((error) => ({
        message: error.message.split('\n')[0] ?? error.message,
        source: document.at(error.pos[0]),
      })),
    );
    return { document, roots, errors };
  }

  /**
   * The one document of `text` from its tree as Prometheus's YAML parser read it (`ruleFileTrees` of
   * @o11y/promql), built as the nodes `parseAll` gives: the same values, styles and positions, without
   * parsing the text again on this thread.
   */
  static fromTree(file: string, text: string, tree: RuleFileTree): ReadFile {
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
    return {
      document: new PositionedDocument(file, text, lines),
      roots: [nodeOf(text, tree, false)],
      errors: [],
    };
  }

  private static position(file: string, lines: LineCounter, offset: number): SourceLocation {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  }

  at(offset: number): SourceLocation {
    return this.place ? this.place(offset) : PositionedDocument.position(this.file, this.lines, offset);
  }

  locate(node: Node | null | undefined): SourceLocation {
    return this.at(node?.range?.[0] ?? 0);
  }

  /**
   * Where each character of a string scalar was written. Exact for single-line plain and quoted
   * scalars, double-quoted ones with escapes (JSON) and literal blocks; folded styles map to their start.
   */
  origin(node: Node | null | undefined): ExpressionOrigin {
    // Worked out on first use: most expressions have no finding inside them.
    let resolved: ExpressionOrigin | undefined;
    return (offset) => {
      resolved ??= this.resolveOrigin(node);
      return resolved(offset);
    };
  }

  private resolveOrigin(node: Node | null | undefined): ExpressionOrigin {
    const start = node?.range?.[0] ?? 0;
    const fallback: ExpressionOrigin = () => this.at(start);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return fallback;
    const raw = this.text.slice(node.range[0], node.range[1]);
    const value = node.value;
    switch ((node as Scalar).type) {
      case 'PLAIN':
        return raw === value ? (offset) => this.at(start + offset) : fallback;
      case 'QUOTE_SINGLE':
        return raw.slice(1, -1) === value ? (offset) => this.at(start + 1 + offset) : fallback;
      case 'QUOTE_DOUBLE':
        return this.escapedOrigin(start, raw) ?? fallback;
      case 'BLOCK_LITERAL':
        return this.literalOrigin(start, raw) ?? fallback;
      default:
        return fallback;
    }
  }

  /** Double-quoted (JSON) strings: each escape sequence stands for one character of the value. */
  private escapedOrigin(start: number, raw: string): ExpressionOrigin | undefined {
    const last = raw.length - 1;
    for (let i = 1; i < last; i += escapedLength(raw, i)) if (raw[i] === '\n') return undefined;
    return (offset) => {
      let i = 1;
      for (let count = 0; count < offset && i < last; count++) i += escapedLength(raw, i);
      // The end of the value (an error "at end of input") is the closing quote.
      return this.at(start + Math.min(i, last));
    };
  }

  /** Literal blocks keep their lines: line n of the value is line n after the header, past the indent. */
  private literalOrigin(start: number, raw: string): ExpressionOrigin | undefined {
    const headerEnd = raw.indexOf('\n');
    if (headerEnd < 0) return undefined;
    const body = raw.slice(headerEnd + 1).split('\n');
    const indent = Math.min(
      ...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length),
    );
    if (!Number.isFinite(indent)) return undefined;
    // Where each line of the value starts in the file, so that positions map through this.at().
    const lineStarts: number[] = [];
    let offset = start + headerEnd + 1;
    for (const line of body) {
      lineStarts.push(offset + indent);
      offset += line.length + 1;
    }
    const value = body.map((line) => line.slice(indent));
    return (at) => {
      let rest = at;
      let line = 0;
      while (line < value.length - 1 && rest > (value[line]?.length ?? 0)) {
        rest -= (value[line]?.length ?? 0) + 1;
        line += 1;
      }
      return this.at(lineStarts[line]! + rest);
    };
  }
}

/** How many characters of a double-quoted scalar the value's character at `at` is written with. */
function escapedLength(raw: string, at: number): number {
  if (raw[at] !== '\\') return 1;
  const kind = raw[at + 1];
  return kind === 'u' ? 6 : kind === 'x' ? 4 : kind === 'U' ? 10 : 2;
}

/** yaml's scalar types, by the style code of a RuleFileTree. */
const SCALAR_TYPES = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const;

/** The core schema yaml's composer resolves plain scalars with, made once. */
let core: Document | undefined;

/**
 * The node of `tree` with the part of yaml's ranges lint reads: where every node starts, and where a
 * scalar's value ends. (yaml also counts the comment and line break after a node into its end, and a
 * block collection ends where that of its last node does; here both end with the value.)
 */
function nodeOf(text: string, tree: RuleFileTree, atKey: boolean): Node {
  const start = tree[1];
  if (tree[0] === 2) {
    const [, , end, style, written] = tree as readonly [2, number, number, number, string];
    const scalar = style === 0 ? plainScalar(written, atKey) : new Scalar(written);
    scalar.type = SCALAR_TYPES[style];
    scalar.source = written;
    // An empty value (`key:`) is where the spaces after its key end.
    let at = start;
    if (end === start) while (text[at] === ' ' || text[at] === '\t') at++;
    scalar.range = [at, Math.max(at, end), Math.max(at, end)];
    return scalar;
  }
  // Children from the fourth element on.
  let collection: YAMLMap | YAMLSeq;
  if (tree[0] === 0) {
    const map = new YAMLMap();
    for (let i = 3; i + 1 < tree.length; i += 2)
      map.items.push(
        new Pair(
          nodeOf(text, tree[i] as RuleFileTree, true),
          nodeOf(text, tree[i + 1] as RuleFileTree, false),
        ),
      );
    collection = map;
  } else {
    const seq = new YAMLSeq();
    for (let i = 3; i < tree.length; i++) seq.items.push(nodeOf(text, tree[i] as RuleFileTree, false));
    collection = seq;
  }
  const last = collection.items.at(-1);
  let end = ((last instanceof Pair ? last.value : last) as Node | undefined)?.range?.[1] ?? start + 1;
  if (tree[2] === 1) {
    collection.flow = true;
    end = flowEnd(text, end, tree[0] === 0 ? '}' : ']');
  }
  collection.range = [start, end, end];
  return collection;
}

/** A plain scalar resolved as yaml's composer does: the first default tag of the core schema whose test matches. */
function plainScalar(written: string, atKey: boolean): Scalar {
  core ??= new Document();
  const tag = core.schema.tags.find(
    (candidate): candidate is ScalarTag =>
      (candidate.default === true || (atKey && candidate.default === 'key')) &&
      !!candidate.test?.test(written),
  );
  if (!tag) return new Scalar(written);
  const resolved = tag.resolve(written, () => undefined, core.options);
  const scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
  if (tag.format) scalar.format = tag.format;
  return scalar;
}

/** One past the bracket that closes a flow collection, looking from `from` past blanks, commas and comments. */
function flowEnd(text: string, from: number, close: '}' | ']'): number {
  for (let at = from; at < text.length; at++) {
    const character = text[at];
    if (character === close) return at + 1;
    if (character === '#') at = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    else if (character !== ' ' && character !== '\n' && character !== ',') return from;
  }
  return from;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function items(node: unknown): readonly Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

export function field(map: YAMLMap | undefined, key: string): Node | undefined {
  return map?.get(key, true) as Node | undefined;
}

/** A scalar field as text (numbers and booleans as written), or undefined when absent or not a scalar. */
export function text(map: YAMLMap | undefined, key: string): string | undefined {
  const node = field(map, key);
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

export function plain(node: Node | undefined): unknown {
  return node?.toJSON();
}

export function stringRecord(map: YAMLMap | undefined, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of asMap(field(map, key))?.items ?? []) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name !== undefined && isScalar(pair.value)) out[name] = String(pair.value.value ?? '');
  }
  return out;
}
