import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { O11yError } from '@o11y/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { SCHEMA_SOURCES, type SchemaFile } from './schema-sources.ts';

/**
 * Written by this package's `build` script from the foundation SDK's TypeScript types, or by
 * `ensureSchemas` when that has not run (a checkout after `npm install` alone).
 */
export const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

const validators = new Map<string, ValidateFunction>();

/** The ajv validator for a generated schema (`dashboard.schema.json`, …), compiled once. */
export function validatorFor(file: SchemaFile): ValidateFunction {
  const cached = validators.get(file);
  if (cached) return cached;
  const schemaPath = path.join(SCHEMA_DIR, file);
  if (!existsSync(schemaPath)) {
    throw new O11yError(`the JSON schema ${file} has not been generated`, {
      id: 'dashboards/schema-missing',
      hint: 'run `npm run build -w @o11y/dashboards` (it derives the schema from the foundation SDK types)',
    });
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  validators.set(file, validate);
  return validate;
}

/**
 * Derives the schemas if the package build has not, writing each atomically (test workers may race).
 * The generator (and TypeScript with it) is loaded only then.
 */
export async function ensureSchemas(): Promise<void> {
  const files = Object.keys(SCHEMA_SOURCES) as SchemaFile[];
  if (files.every((file) => existsSync(path.join(SCHEMA_DIR, file)))) return;
  const { generateSchemas } = await import('./generate.ts');
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const { file, content } of generateSchemas()) {
    const staging = path.join(SCHEMA_DIR, `.${file}.${process.pid}.tmp`);
    writeFileSync(staging, content);
    renameSync(staging, path.join(SCHEMA_DIR, file));
  }
}

/** `/panels/3/fieldConfig: must NOT have additional properties (foo)`. */
export function formatSchemaError(error: ErrorObject, prefix = ''): string {
  const extra =
    error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `${prefix + error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
}

/** Which query schema a panel target is checked against, by its panel's datasource type. */
export const QUERY_SCHEMAS: Readonly<Record<string, SchemaFile>> = {
  prometheus: 'prometheus-query.schema.json',
  loki: 'loki-query.schema.json',
};
