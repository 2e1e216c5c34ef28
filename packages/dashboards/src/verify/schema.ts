import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { O11yError } from '@o11y/core';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SCHEMA_SOURCES, type SchemaFile } from './schema-sources.ts';

/**
 * Written by this package's `build` script from the foundation SDK's TypeScript types, or by
 * `ensureSchemas` when that has not run (a checkout after `npm install` alone).
 */
export const SCHEMA_DIR = path.join(packageDir(), 'dist');

/**
 * This package's folder: the nearest above this module with a package.json. The module runs from src/,
 * from dist/ and bundled into dist/index.js, at different depths.
 */
function packageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** How the validators are compiled (by `generateSchemas`, into modules beside the schemas). */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

/** The module holding a schema's compiled validator: `dashboard.schema.json` → `dashboard.validate.cjs`. */
export function validatorFile(file: SchemaFile): string {
  return file.replace(/\.schema\.json$/, '.validate.cjs');
}

const load = createRequire(import.meta.url);

/** The validators loaded: verify asks for one per dashboard and per query (58,000 times at 1,000 services). */
const validators = new Map<SchemaFile, ValidateFunction>();

/** The ajv validator of a generated schema (`dashboard.schema.json`, …), compiled when it was generated. */
export function validatorFor(file: SchemaFile): ValidateFunction {
  const loaded = validators.get(file);
  if (loaded) return loaded;
  const modulePath = path.join(SCHEMA_DIR, validatorFile(file));
  if (!existsSync(modulePath)) {
    throw new O11yError(`the JSON schema ${file} has not been generated`, {
      id: 'dashboards/schema-missing',
      hint: 'run `npm run build -w @o11y/dashboards` (it derives the schema from the foundation SDK types)',
    });
  }
  const validate = (load(modulePath) as { default: ValidateFunction }).default;
  validators.set(file, validate);
  return validate;
}

/**
 * Derives the schemas if the package build has not, writing each atomically (test workers may race).
 * The generator (and TypeScript with it) is loaded only then.
 */
export async function ensureSchemas(): Promise<void> {
  const files = (Object.keys(SCHEMA_SOURCES) as SchemaFile[]).flatMap((file) => [file, validatorFile(file)]);
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
