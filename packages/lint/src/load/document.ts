import type { SourceLocation } from '@o11y/core';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
} from 'yaml';

/** Maps an offset inside an expression string to the file position it was written at. */
export type ExpressionOrigin = (offset: number) => SourceLocation;

/** A problem reading a file, at its position. */
export interface ReadProblem {
  readonly message: string;
  readonly source: SourceLocation;
}

/**
 * One YAML document of a file (JSON is read as YAML so both share one position model), with
 * positions: every rule, panel and query the loaders build points at its file:line. A document
 * embedded in a string of another (a dashboard in a ConfigMap) maps its offsets through `place` to
 * where its characters were written in the outer file.
 */
export class PositionedDocument {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly root: Node | null,
    private readonly lines: LineCounter,
    private readonly place?: ExpressionOrigin,
  ) {}

  /**
   * Every document of `text` (`---`-separated; empty ones, as after a trailing `---`, are left out),
   * and the syntax errors of all of them.
   */
  static parseAll(
    file: string,
    text: string,
    place?: ExpressionOrigin,
  ): { documents: PositionedDocument[]; errors: ReadProblem[] } {
    const lines = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const list = Array.isArray(parsed) ? parsed : [];
    const documents = list
      .filter((document) => document.contents !== null)
      .map((document) => new PositionedDocument(file, text, document.contents as Node, lines, place));
    const at = (offset: number) => (place ? place(offset) : PositionedDocument.position(file, lines, offset));
    const errors = list.flatMap((document) =>
      document.errors.map((error) => ({
        message: error.message.split('\n')[0] ?? error.message,
        source: at(error.pos[0]),
      })),
    );
    return { documents, errors };
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
    const offsets: number[] = [];
    for (let i = 1; i < raw.length - 1; ) {
      if (raw[i] === '\n') return undefined;
      offsets.push(start + i);
      if (raw[i] !== '\\') {
        i += 1;
        continue;
      }
      const kind = raw[i + 1];
      i += kind === 'u' ? 6 : kind === 'x' ? 4 : kind === 'U' ? 10 : 2;
    }
    // The end of the value (an error "at end of input") is the closing quote.
    offsets.push(start + raw.length - 1);
    return (offset) => this.at(offsets[Math.min(offset, offsets.length - 1)]!);
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
