import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFINITION, type Definition, O11yError, O11yErrors } from '@o11y/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../src/index.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'o11y-load-definitions-'));
const FILES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => `rules/${name}.ts`);
mkdirSync(path.join(root, 'rules'));
for (const file of FILES) writeFileSync(path.join(root, file), 'export {};\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const definition = (file: string): Definition & { readonly file: string } => ({
  [DEFINITION]: 'rule-group',
  source: { file, line: 1, column: 1 },
  file,
});

/** Each module takes longer than the one after it, so with several in flight the last finishes first. */
function importsFinishingBackwards(fail: (file: string) => boolean) {
  const started: string[] = [];
  const inFlight = { now: 0, most: 0 };
  const importModule = async (absolute: string) => {
    const file = path.relative(root, absolute);
    started.push(file);
    inFlight.most = Math.max(inFlight.most, ++inFlight.now);
    await new Promise((resolve) => setTimeout(resolve, 5 * (FILES.length - FILES.indexOf(file))));
    inFlight.now--;
    if (fail(file))
      throw new O11yError('the catalogue threw', { source: { file: 'catalog.ts', line: 3, column: 1 } });
    return { group: definition(file) };
  };
  return { importModule, started, inFlight };
}

describe('loadDefinitions', () => {
  it('imports several modules at once and gives their definitions in file order, whichever finishes first', async () => {
    const { importModule, started, inFlight } = importsFinishingBackwards(() => false);
    const definitions = await loadDefinitions(root, importModule);
    expect(definitions.map((d) => (d as ReturnType<typeof definition>).file)).toEqual(FILES);
    expect(started).toEqual(FILES);
    expect(inFlight.most).toBe(4);
  });

  it('reports an error that several modules import once, at its line, and no definitions', async () => {
    const { importModule } = importsFinishingBackwards((file) => file !== 'rules/a.ts');
    const error = await loadDefinitions(root, importModule).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(O11yErrors);
    expect((error as O11yErrors).diagnostics).toEqual([
      expect.objectContaining({
        message: 'the catalogue threw',
        source: { file: 'catalog.ts', line: 3, column: 1 },
      }),
    ]);
  });
});
