import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTscOutput } from '../src/typecheck.ts';
import { repoRoot } from './helpers.ts';

/**
 * The READMEs' examples compile. A ```ts block whose first line names the file it belongs in
 * (`// rules/business.ts`) claims to be usable as written; blocks without one are reference
 * fragments. Each usable block is type-checked in that folder next to the organisation's own modules
 * — in a scratch copy of the layout made of symlinks, so the checkout is never written — with the
 * project's tsconfig and compiler.
 */
interface Example {
  readonly readme: string;
  /** Line of the block's first code line in the README. */
  readonly line: number;
  /** Where the block says it belongs, relative to the project root. */
  readonly file: string;
  readonly code: string;
}

const READMES = [
  'README.md',
  ...readdirSync(path.join(repoRoot, 'packages'))
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => existsSync(path.join(repoRoot, f))),
];

function examplesOf(readme: string): Example[] {
  const lines = readFileSync(path.join(repoRoot, readme), 'utf8').split('\n');
  const found: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    const code = lines.slice(i + 1, end);
    const file = /^\/\/ ((?:[\w-]+\/)*[\w.-]+\.ts)$/.exec(code[0] ?? '')?.[1];
    if (file) found.push({ readme, line: i + 2, file, code: `${code.join('\n')}\n` });
    i = end;
  }
  return found;
}

const examples = READMES.flatMap(examplesOf);
const scratch = mkdtempSync(path.join(tmpdir(), 'o11y-readme-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The scratch project: every top-level entry of the checkout linked, the examples' folders real. */
function layout(): Map<string, Example> {
  const byScratchFile = new Map<string, Example>();
  const folders = new Set(examples.map((e) => e.file.split('/')[0]!));
  for (const entry of readdirSync(repoRoot)) {
    if (entry === '.git') continue;
    const target = path.join(repoRoot, entry);
    if (!folders.has(entry)) symlinkSync(target, path.join(scratch, entry));
  }
  for (const folder of folders) {
    mkdirSync(path.join(scratch, folder), { recursive: true });
    for (const entry of readdirSync(path.join(repoRoot, folder)))
      symlinkSync(path.join(repoRoot, folder, entry), path.join(scratch, folder, entry));
  }
  examples.forEach((example, n) => {
    const dir = path.join(scratch, path.dirname(example.file));
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `readme-example-${n}-${path.basename(example.file)}`);
    writeFileSync(file, example.code);
    byScratchFile.set(path.relative(scratch, file), example);
  });
  return byScratchFile;
}

describe('README examples', () => {
  it('finds the usable examples of the top-level README', () => {
    expect(examples.filter((e) => e.readme === 'README.md').length).toBeGreaterThanOrEqual(4);
  });

  it('type-checks every usable example where it says it belongs', () => {
    const byScratchFile = layout();
    writeFileSync(
      path.join(scratch, 'tsconfig.readme.json'),
      JSON.stringify({ extends: './tsconfig.json', include: [], files: [...byScratchFile.keys()] }),
    );
    const require = createRequire(path.join(repoRoot, 'package.json'));
    const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.readme.json', '--pretty', 'false'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    // Each error at the README line it comes from, so a failure says which example to fix.
    const errors = parseTscOutput(`${result.stdout}${result.stderr}`, scratch, scratch).map((d) => {
      const example = d.source && byScratchFile.get(d.source.file);
      const where = example
        ? `${example.readme}:${example.line + d.source!.line - 1}`
        : `${d.source?.file ?? ''}:${d.source?.line ?? ''}`;
      return `${where}  ${d.message}`;
    });
    expect(errors).toEqual([]);
    expect(result.status).toBe(0);
  }, 120_000);
});
