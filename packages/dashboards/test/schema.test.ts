import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchemas, SCHEMA_DIR, validatorFile, validatorFor } from '../src/verify/schema.ts';
import { SCHEMA_SOURCES, type SchemaFile } from '../src/verify/schema-sources.ts';

describe('schema validators', () => {
  beforeAll(ensureSchemas, 120_000);

  it('are compiled when the schemas are generated, and loaded rather than compiled by a build', () => {
    const load = createRequire(import.meta.url);
    for (const file of Object.keys(SCHEMA_SOURCES) as SchemaFile[]) {
      const compiled = load(path.join(SCHEMA_DIR, validatorFile(file))) as { default: unknown };
      expect(validatorFor(file)).toBe(compiled.default);
    }
    const validate = validatorFor('prometheus-query.schema.json');
    expect(validate({ refId: 'A', expr: 'up' })).toBe(true);
    expect(validate({ refId: 'A', expr: 1 })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/expr', keyword: 'type' });
  });
});
