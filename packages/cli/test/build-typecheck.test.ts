import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectCacheDir } from '@o11y/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTscOutput } from '../src/typecheck.ts';
import { o11y, repoRoot, treeHashes } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-build-typecheck-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project using the real builders, with the checkout's packages and tsconfig. */
function project(name: string, catalogue: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'catalog'), { recursive: true });
  mkdirSync(path.join(dir, 'rules'), { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, private: true, type: 'module', workspaces: [] }),
  );
  for (const ignored of ['node_modules', '.tools'])
    symlinkSync(path.join(repoRoot, ignored), path.join(dir, ignored));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: path.join(repoRoot, 'tsconfig.base.json'), include: ['**/*.ts'] }),
  );
  writeFileSync(path.join(dir, 'catalog', 'index.ts'), catalogue);
  writeFileSync(
    path.join(dir, 'rules', 'picks.ts'),
    [
      "import { rate, sum } from '@o11y/catalog';",
      "import { record, ruleGroup } from '@o11y/rules';",
      "import { picksTotal } from '../catalog/index.ts';",
      '',
      "export const picks = ruleGroup('picks', {",
      "  file: 'picks',",
      "  rules: [record('job:picks:rate5m', sum(rate(picksTotal.range('5m'))).by('job'))],",
      '});',
      '',
    ].join('\n'),
  );
  return dir;
}

const catalogue = (unit: string) =>
  [
    "import { counter, job } from '@o11y/catalog';",
    '',
    "const warehouse = job('warehouse', { scrapeInterval: '15s', instances: 2 });",
    "export const picksTotal = counter('picks_total', {",
    "  help: 'Items picked.',",
    `  unit: '${unit}',`,
    '  jobs: [warehouse],',
    '  labels: {},',
    '});',
    '',
  ].join('\n');

describe('o11y build type-checks the definitions', () => {
  it('fails on a type error that runs fine, once, at its file:line, and leaves dist/ alone', () => {
    const dir = project('typo', catalogue('items'));
    const good = o11y(['build', '--no-verify'], { cwd: dir });
    expect(good.status, good.stderr).toBe(0);
    const before = treeHashes(path.join(dir, 'dist'));

    writeFileSync(path.join(dir, 'catalog', 'index.ts'), catalogue('picks'));
    const broken = o11y(['build'], { cwd: dir });
    expect(broken.status).toBe(1);
    const lines = broken.stderr.split('\n').filter((l) => l.includes('(typecheck/TS'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^catalog\/index\.ts:6:3 {2}Type '"picks"' is not assignable to type .*\(typecheck\/TS2322\)$/,
    );
    expect(treeHashes(path.join(dir, 'dist'))).toEqual(before);

    writeFileSync(path.join(dir, 'catalog', 'index.ts'), catalogue('items'));
    const fixed = o11y(['build'], { cwd: dir });
    expect(fixed.status, fixed.stderr).toBe(0);
  }, 120_000);

  it('skips tsc for an unchanged organisation, and still finds an error made after a clean check', () => {
    const dir = project('unchanged', catalogue('items'));
    const clean = o11y(['build'], { cwd: dir });
    expect(clean.status, clean.stderr).toBe(0);
    // What the real tsc's build info says the check read, recorded for the next build to compare.
    const stamp = path.join(projectCacheDir(dir, 'typecheck'), 'clean.json');
    const read = Object.keys((JSON.parse(readFileSync(stamp, 'utf8')) as { files: object }).files);
    expect(read).toEqual(
      expect.arrayContaining([
        path.join(dir, 'catalog', 'index.ts'),
        path.join(dir, 'tsconfig.json'),
        path.join(repoRoot, 'tsconfig.base.json'),
        path.join(repoRoot, 'packages', 'catalog', 'src', 'index.ts'),
      ]),
    );
    // Built again, nothing changed: tsc does not run, so the record is neither removed nor rewritten.
    const recorded = statSync(stamp);
    const again = o11y(['build'], { cwd: dir });
    expect(again.status, again.stderr).toBe(0);
    expect(statSync(stamp)).toMatchObject({ ino: recorded.ino, mtimeMs: recorded.mtimeMs });

    // Back-dated to before the clean check: the edit is seen all the same.
    writeFileSync(path.join(dir, 'catalog', 'index.ts'), catalogue('picks'));
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(path.join(dir, 'catalog', 'index.ts'), earlier, earlier);
    const broken = o11y(['build'], { cwd: dir });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('catalog/index.ts:6:3');
    expect(broken.stderr).toContain('(typecheck/TS2322)');
  }, 120_000);
});

describe('reading tsc output', () => {
  it('folds elaborations into their error and keeps errors without a location', () => {
    const output = [
      "rules/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.",
      "  Type 'x' is not assignable to type 'y'.",
      "error TS5083: Cannot read file '/nowhere/tsconfig.json'.",
      '',
    ].join('\n');
    expect(parseTscOutput(output, '/p', '/p')).toEqual([
      expect.objectContaining({
        message:
          "Type 'string' is not assignable to type 'number'.\n    Type 'x' is not assignable to type 'y'.",
        source: { file: 'rules/a.ts', line: 3, column: 5 },
        id: 'typecheck/TS2322',
      }),
      expect.objectContaining({
        message: "error TS5083: Cannot read file '/nowhere/tsconfig.json'.",
        id: 'typecheck/tsc',
      }),
    ]);
  });
});
