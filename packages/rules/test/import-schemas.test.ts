import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('the Sloth and OpenSLO schemas', () => {
  afterEach(() => vi.restoreAllMocks());

  it('are compiled when the first spec is read, not when the package is imported', async () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    vi.resetModules();
    const { parseSloth } = await import('../src/import/sloth.ts');
    await import('../src/import/openslo.ts');
    expect(compile).not.toHaveBeenCalled();
    expect(() => parseSloth('version: prometheus/v1\n', 'slos/x.yml')).toThrow();
    expect(compile).toHaveBeenCalledTimes(1);
  });
});
