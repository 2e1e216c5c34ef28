import { createRequire } from 'node:module';
import path from 'node:path';
import { stableStringify } from '@o11y/core';
import { createGenerator } from 'ts-json-schema-generator';

/** Schema file → the foundation-SDK module and exported type it is derived from. */
export const SCHEMA_SOURCES = {
  'dashboard.schema.json': { module: 'dashboard/types.gen.d.ts', type: 'Dashboard' },
  'dashboardv2beta1.schema.json': { module: 'dashboardv2beta1/types.gen.d.ts', type: 'Dashboard' },
  'prometheus-query.schema.json': { module: 'prometheus/types.gen.d.ts', type: 'Dataquery' },
  'loki-query.schema.json': { module: 'loki/types.gen.d.ts', type: 'dataquery' },
} as const;

export type SchemaFile = keyof typeof SCHEMA_SOURCES;

interface Schema {
  definitions?: Record<string, unknown>;
}

/**
 * Runs ts-json-schema-generator over the SDK's published type declarations. One adjustment: the
 * SDK types a panel's targets as `cog.Dataquery`, a variant slot whose concrete shape depends on the
 * datasource, so the dashboard schema leaves it open and each target is checked against the schema of
 * its datasource's query type instead.
 */
export function generateSchemas(): { file: SchemaFile; content: string }[] {
  const require = createRequire(import.meta.url);
  const sdkDist = path.dirname(path.dirname(require.resolve('@grafana/grafana-foundation-sdk/dashboard')));
  return Object.entries(SCHEMA_SOURCES).map(([file, { module, type }]) => {
    const schema = createGenerator({
      path: path.join(sdkDist, module),
      type,
      skipTypeCheck: true,
      expose: 'export',
      topRef: true,
      jsDoc: 'basic',
    }).createSchema(type) as Schema;
    if (schema.definitions?.Dataquery && file === 'dashboard.schema.json') {
      schema.definitions.Dataquery = {
        type: 'object',
        description: 'cog variant slot: validated against the schema of the datasource query type',
      };
    }
    return { file: file as SchemaFile, content: stableStringify(schema) };
  });
}
