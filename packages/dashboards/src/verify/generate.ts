import { createRequire } from 'node:module';
import path from 'node:path';
import { stableStringify } from '@o11y/core';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { createGenerator } from 'ts-json-schema-generator';
import { AJV_OPTIONS, SCHEMA_DIR, validatorFile } from './schema.ts';
import { SCHEMA_SOURCES, type SchemaFile } from './schema-sources.ts';

interface Schema {
  definitions?: Record<string, unknown>;
}

/**
 * Each schema, and its validator compiled to a module: ajv compiled the dashboard schemas at every
 * build (a quarter of a second, a tenth of the sample's build), where requiring the module takes 20 ms.
 */
export function generateSchemas(): { file: string; content: string }[] {
  return schemas().flatMap(({ file, content }) => {
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    const validator = standalone.default(ajv, ajv.compile(JSON.parse(content) as object));
    return [
      { file, content },
      { file: validatorFile(file), content: validator },
    ];
  });
}

/**
 * Runs ts-json-schema-generator over the SDK's published type declarations. One adjustment: the
 * SDK types a panel's targets and an alert rule's query models as `cog.Dataquery`, a variant slot whose
 * concrete shape depends on the datasource, so those schemas leave it open and each Prometheus query is
 * checked against the schema of its datasource's query type instead.
 */
function schemas(): { file: SchemaFile; content: string }[] {
  const require = createRequire(import.meta.url);
  const sdkDist = path.dirname(path.dirname(require.resolve('@grafana/grafana-foundation-sdk/dashboard')));
  // This package's own types live in its src/, next to dist/ whichever of the two this runs from.
  const ownSrc = path.join(SCHEMA_DIR, '..', 'src');
  return Object.entries(SCHEMA_SOURCES).map(([file, source]) => {
    const { type } = source;
    const schema = createGenerator({
      path: 'own' in source ? path.join(ownSrc, source.own) : path.join(sdkDist, source.module),
      type,
      skipTypeCheck: true,
      expose: 'export',
      topRef: true,
      // Own types carry their patterns as JSDoc tags.
      jsDoc: 'own' in source ? 'extended' : 'basic',
    }).createSchema(type) as Schema;
    if (schema.definitions?.Dataquery && (file === 'dashboard.schema.json' || file.startsWith('alerting-'))) {
      schema.definitions.Dataquery = {
        type: 'object',
        description: 'cog variant slot: validated against the schema of the datasource query type',
      };
    }
    return { file: file as SchemaFile, content: stableStringify(schema) };
  });
}
