/**
 * captureSource in a process of its own, as `o11y build` runs the organisation's TypeScript (tsx):
 * the raw call sites are mapped through Node's source maps, so the location is the line and column
 * of the TypeScript, not of the JavaScript tsx made of it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The compiled package, as the o11y command runs it (the test task builds it first).
const source = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// Types, an interface and a type-only import vanish in the JavaScript: lines and columns move.
const definition = `import type { SourceLocation } from ${JSON.stringify(source)};
import { captureSource } from ${JSON.stringify(source)};

interface Panel {
  readonly title: string;
  readonly at: SourceLocation;
}

const make = (title: string): Panel => ({ title, at: captureSource() });

export const panels: readonly Panel[] = [make('first'), make('second')];
const direct: SourceLocation = /* typed */ captureSource();
process.stdout.write(JSON.stringify([...panels.map((p) => p.at), direct]));
`;

describe('captureSource under tsx', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'o11y-source-map-'));
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', workspaces: [] }));
    await writeFile(path.join(dir, 'panels.ts'), definition);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the TypeScript line and column of each call', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const run = spawnSync(process.execPath, ['--import', tsx, 'panels.ts'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([
      // The first frame outside the libraries: inside make, which calls the "builder".
      { file: 'panels.ts', line: 9, column: 54 },
      { file: 'panels.ts', line: 9, column: 54 },
      { file: 'panels.ts', line: 12, column: 44 },
    ]);
  });
});
