/**
 * The organisation's modules as the o11y command imports them: compiled once into a cache and imported
 * with Node's own loader. Each run is a process of its own with the compiled package, as the command.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const core = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// Imports each module named on the command line as the CLI does, and prints what it exports or the
// diagnostics of why it could not.
const driver = `
import { importOrganisationModule, setTypeScriptLoader, toDiagnostics } from ${JSON.stringify(core)};
import path from 'node:path';
setTypeScriptLoader(process.env.LOADER ?? 'the CLI gives tsx here; compiled modules never register it');
const results = [];
for (const file of process.argv.slice(2)) {
  try {
    results.push({ exports: { ...(await importOrganisationModule(path.resolve(file))) } });
  } catch (error) {
    results.push({ errors: toDiagnostics(error) });
  }
}
process.stdout.write(JSON.stringify(results));
`;

// What the CLI gives: tsx's ES module API (a require of it would give the CommonJS one).
const tsx = pathToFileURL(
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
    'dist',
    'esm',
    'api',
    'index.mjs',
  ),
).href;

let root: string;

function write(file: string, text: string): void {
  writeFileSync(path.join(root, file), text);
}

function run(...files: string[]): { exports?: Record<string, unknown>; errors?: unknown[] }[] {
  const result = spawnSync(process.execPath, ['driver.mjs', ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOADER: tsx },
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

/** Every compiled file, by its path in the cache. */
function cached(): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.mjs')) files.set(full, statSync(full).mtimeMs);
    }
  };
  walk(path.join(root, 'node_modules', '.cache', 'o11y', 'modules'));
  return files;
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'o11y-compiled-'));
  write('package.json', JSON.stringify({ type: 'module', workspaces: [] }));
  write('driver.mjs', driver);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the organisation modules the CLI imports', () => {
  it('keep their TypeScript lines and columns in source locations and in errors', () => {
    write(
      'panels.ts',
      `import type { SourceLocation } from ${JSON.stringify(core)};
import { captureSource } from ${JSON.stringify(core)};

interface Panel {
  readonly title: string;
  readonly at: SourceLocation;
}

const make = (title: string): Panel => ({ title, at: captureSource() });

export const panels: readonly Panel[] = [make('first'), make('second')];
`,
    );
    write(
      'throws.ts',
      `type Unused = string;\n\nexport const value: number = (() => {\n  throw new Error('boom');\n})();\n`,
    );
    const [panels, throws] = run('panels.ts', 'throws.ts');
    expect((panels!.exports!.panels as { at: unknown }[]).map((panel) => panel.at)).toEqual([
      { file: 'panels.ts', line: 9, column: 54 },
      { file: 'panels.ts', line: 9, column: 54 },
    ]);
    expect(throws!.errors).toEqual([
      { severity: 'error', message: 'boom', source: { file: 'throws.ts', line: 4, column: 9 } },
    ]);
  });

  it('read import.meta as the TypeScript file, and evaluate a module two others import once', () => {
    write('template.txt', 'beside the module');
    write(
      'shared.ts',
      `const counter = globalThis as { evaluated?: number };\ncounter.evaluated = (counter.evaluated ?? 0) + 1;\nexport const evaluated = (): number => counter.evaluated ?? 0;\n`,
    );
    // A .js specifier naming a .ts file, and none at all: both as tsx reads them.
    write('a.ts', `import { evaluated } from './shared.js';\nexport const a = evaluated;\n`);
    write(
      'b.ts',
      `import { evaluated } from './shared';\nexport { a } from './a.ts';\nexport const b = evaluated;\n`,
    );
    write(
      'meta.ts',
      `import { readFileSync } from 'node:fs';
export const url: string = import.meta.url;
export const dirname: string = import.meta.dirname;
export const template: string = readFileSync(new URL('./template.txt', import.meta.url), 'utf8');
`,
    );
    const driverImportsBoth = `${driver}\nprocess.stdout.write(' ' + String(globalThis.evaluated));`;
    write('driver.mjs', driverImportsBoth);
    const result = spawnSync(process.execPath, ['driver.mjs', 'a.ts', 'b.ts', 'meta.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const json = result.stdout.slice(0, result.stdout.lastIndexOf(' '));
    const evaluated = result.stdout.slice(result.stdout.lastIndexOf(' ') + 1);
    expect(evaluated).toBe('1');
    const meta = JSON.parse(json)[2].exports;
    expect(meta).toEqual({
      url: `file://${path.join(root, 'meta.ts')}`,
      dirname: root,
      template: 'beside the module',
    });
  });

  it('import modules that import each other', () => {
    write(
      'first.ts',
      `import { second } from './second.ts';\nexport const first = 'first';\nexport const both: string = first + second;\n`,
    );
    write(
      'second.ts',
      `import { first } from './first.ts';\nexport const second = 'second';\nexport const back = (): string => first;\n`,
    );
    const [first] = run('first.ts');
    expect(first!.exports).toEqual({ both: 'firstsecond', first: 'first' });
  });

  it('name the file, line and column of TypeScript esbuild cannot read, and of an import it cannot find', () => {
    write('broken.ts', `export const fine = 1;\nexport const broken: = 2;\n`);
    write(
      'missing.ts',
      `export const fine = 1;\n\nimport { gone } from './gone.ts';\nexport const uses = gone;\n`,
    );
    const [broken, missing] = run('broken.ts', 'missing.ts');
    expect(broken!.errors).toMatchObject([
      {
        id: 'build/module',
        source: { file: 'broken.ts', line: 2, column: 22 },
        message: expect.stringMatching(/Unexpected "="/),
      },
    ]);
    expect(missing!.errors).toMatchObject([
      {
        id: 'build/module',
        source: { file: 'missing.ts', line: 3, column: 22 },
        message: 'Could not resolve "./gone.ts"',
      },
    ]);
  });

  it('compile a module again only when it or a file it imports changed', () => {
    write('value.ts', `export const value: number = 1;\n`);
    write('uses.ts', `import { value } from './value.ts';\nexport const doubled: number = value * 2;\n`);
    expect(run('uses.ts')[0]!.exports).toEqual({ doubled: 2 });
    const first = cached();
    expect(first.size).toBe(2);
    expect(run('uses.ts')[0]!.exports).toEqual({ doubled: 2 });
    expect(cached()).toEqual(first);
    write('value.ts', `export const value: number = 21;\n`);
    expect(run('uses.ts')[0]!.exports).toEqual({ doubled: 42 });
    const second = cached();
    const changed = [...second]
      .filter(([file, mtime]) => first.get(file) !== mtime)
      .map(([file]) => path.basename(file));
    expect(changed).toEqual(['value.ts.mjs']);
  });

  it('leave the project folder as it was, but for the cache in node_modules', () => {
    write('value.ts', `export const value: number = 1;\n`);
    run('value.ts');
    expect(readdirSync(root).sort()).toEqual(['driver.mjs', 'node_modules', 'package.json', 'value.ts']);
    expect(readFileSync(path.join(root, 'value.ts'), 'utf8')).toBe('export const value: number = 1;\n');
  });

  it('go through tsx when the cache cannot be written', () => {
    // A file where the cache's folder would be: as a read-only node_modules, which root never meets.
    mkdirSync(path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'node_modules', '.cache'), 'not a folder');
    write(
      'value.ts',
      `import { captureSource } from ${JSON.stringify(core)};\n\nexport const at = captureSource();\n`,
    );
    const [value] = run('value.ts');
    expect(value!.exports).toEqual({ at: { file: 'value.ts', line: 3, column: 19 } });
  });
});
