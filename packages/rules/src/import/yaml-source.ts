import { createRequire } from 'node:module';
import { type Diagnostic, O11yErrors, type SourceLocation } from '@o11y/core';
import type { ErrorObject, JSONSchemaType, ValidateFunction } from 'ajv';
import { isMap, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';

/** One YAML document with the positions of its nodes, so errors can point at the YAML line. */
export interface YamlDocument {
  readonly value: unknown;
  /** Where the node at a path (`['slos', 0, 'objective']`) starts; the nearest existing parent otherwise. */
  at(path: readonly (string | number)[]): SourceLocation;
}

/** Parses every document of a YAML file; syntax errors are reported at their line, all at once. */
export function parseYamlFile(text: string, file: string): YamlDocument[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  const locate = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const problems: Diagnostic[] = list.flatMap((doc) =>
    doc.errors.map((error) => ({
      severity: 'error' as const,
      id: 'import/yaml',
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
      source: locate(error.pos[0]),
    })),
  );
  if (problems.length > 0) throw new O11yErrors(problems);
  return list
    .filter((doc) => doc.contents !== null)
    .map((doc) => ({
      value: doc.toJS({ maxAliasCount: 100 }) as unknown,
      at(path) {
        let node: Node | null | undefined = doc.contents as Node;
        let found = node;
        for (const key of path) {
          if (isMap(node)) node = node.get(key, true) as Node | undefined;
          else if (isSeq(node) && typeof key === 'number') node = node.get(key, true) as Node | undefined;
          else node = undefined;
          if (!node) break;
          found = node;
        }
        return locate(found?.range?.[0] ?? 0);
      },
    }));
}

/** JSON Pointer of an ajv error → path segments (numbers for array indices). */
function pathOf(error: ErrorObject): (string | number)[] {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  return extra === undefined ? segments : [...segments, extra];
}

function describe(error: ErrorObject): string {
  const where = pathOf(error).join('.') || 'the document';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field`;
    case 'required':
      return `${where}: missing required field "${String(params.missingProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${where}: ${error.message ?? 'is invalid'}`;
  }
}

/**
 * A spec schema's validator, compiled when the first spec is read: every command imports this package,
 * few read specs.
 */
export function specValidator<T>(schema: JSONSchemaType<T>): () => ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  return () => (compiled ??= specAjv().compile(schema));
}

/** ajv is loaded with the first spec too: it takes a twentieth of a second the other commands never need. */
function specAjv() {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
}

/**
 * Validates a value of a document (the whole document, or the part at `prefix`) against a schema; every
 * problem becomes a diagnostic at its YAML line.
 */
export function validate<T>(
  validateFn: ValidateFunction<T>,
  doc: YamlDocument,
  options: { readonly id: string; readonly hint: string; readonly prefix?: readonly (string | number)[] },
): T {
  const prefix = options.prefix ?? [];
  let value: unknown = doc.value;
  for (const key of prefix) value = (value as Record<string | number, unknown> | undefined)?.[key];
  if (validateFn(value)) return value;
  const { id, hint } = options;
  const errors = (validateFn.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf');
  const unique = new Map<string, Diagnostic>();
  for (const error of errors.length > 0 ? errors : (validateFn.errors ?? [])) {
    const message = describe(error);
    unique.set(message, {
      severity: 'error',
      id,
      message,
      source: doc.at([...prefix, ...pathOf(error)]),
      hint,
    });
  }
  throw new O11yErrors([...unique.values()]);
}
