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
    const definitions = await loadDefinitions(root, { importModule });
    expect(definitions.map((d) => (d as ReturnType<typeof definition>).file)).toEqual(FILES);
    expect(started).toEqual(FILES);
    expect(inFlight.most).toBe(4);
  });

  it("leaves out the modules of the layout's tests folders when asked, and lets them export only tests", async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'o11y-load-tests-'));
    try {
      mkdirSync(path.join(project, 'rules', 'tests'), { recursive: true });
      writeFileSync(
        path.join(project, 'o11y.config.ts'),
        "export const project = { definitions: ['rules'], tests: ['rules/tests'], catalog: 'catalog/index.ts' };\n",
      );
      for (const file of ['rules/http.ts', 'rules/tests/http.ts', 'rules/tests/more.ts'])
        writeFileSync(path.join(project, file), 'export {};\n');
      const kinds: Record<string, string> = {
        'rules/http.ts': 'prometheus/rule-group',
        'rules/tests/http.ts': 'prometheus/rule-tests',
        'rules/tests/more.ts': 'prometheus/rule-tests',
      };
      const imported: string[] = [];
      const group = {
        [DEFINITION]: kinds['rules/http.ts']!,
        source: { file: 'rules/http.ts', line: 2, column: 1 },
      };
      const importModule = async (absolute: string) => {
        const file = path.relative(project, absolute);
        imported.push(file);
        // The tests of a group may export it again: lint finds it in its own module.
        if (file === 'rules/tests/http.ts')
          return { definition: { [DEFINITION]: kinds[file]!, source: { file, line: 2, column: 1 } }, group };
        if (file === 'rules/http.ts') return { group };
        return { definition: { [DEFINITION]: kinds[file]!, source: { file, line: 2, column: 1 } } };
      };
      expect(await loadDefinitions(project, { importModule })).toHaveLength(3);
      expect(imported).toEqual(['rules/http.ts', 'rules/tests/http.ts', 'rules/tests/more.ts']);
      imported.length = 0;
      expect(await loadDefinitions(project, { importModule, tests: false })).toHaveLength(1);
      expect(imported).toEqual(['rules/http.ts']);

      kinds['rules/tests/more.ts'] = 'prometheus/rule-group';
      const error = await loadDefinitions(project, { importModule }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(O11yErrors);
      expect((error as O11yErrors).diagnostics).toEqual([
        expect.objectContaining({
          id: 'build/test-module',
          source: { file: 'rules/tests/more.ts', line: 2, column: 1 },
          message: expect.stringContaining('exports "definition", a prometheus/rule-group'),
        }),
      ]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('reports an error that several modules import once, at its line, and no definitions', async () => {
    const { importModule } = importsFinishingBackwards((file) => file !== 'rules/a.ts');
    const error = await loadDefinitions(root, { importModule }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(O11yErrors);
    expect((error as O11yErrors).diagnostics).toEqual([
      expect.objectContaining({
        message: 'the catalogue threw',
        source: { file: 'catalog.ts', line: 3, column: 1 },
      }),
    ]);
  });
});
