import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typecheckOrganisation } from '../src/typecheck.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-typecheck-clean-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A stand-in for the project's own `typescript` (tsc is looked up there first): it counts its runs,
 * prints what `tsc-output` holds (and exits 3 when there is a `tsc-exit`), and writes the build info the real tsc writes, with the program's
 * root files and the package.json files it looked for, found or not.
 */
const FAKE_TSC = `
const fs = require('node:fs');
const path = require('node:path');
const root = process.cwd();
fs.appendFileSync(path.join(root, 'tsc-runs'), 'run\\n');
const config = JSON.parse(fs.readFileSync(process.argv[process.argv.indexOf('-p') + 1], 'utf8'));
const info = config.compilerOptions.tsBuildInfoFile;
const relative = (file) => path.relative(path.dirname(info), file);
const manifests = [path.join(root, 'package.json'), path.join(root, 'node_modules', 'absent', 'package.json')];
fs.writeFileSync(info, JSON.stringify({
  fileNames: ['lib.es5.d.ts', ...config.files.map(relative)],
  packageJsons: manifests.filter((file) => fs.existsSync(file)).map(relative),
  missingPackageJsons: manifests.filter((file) => !fs.existsSync(file)).map(relative),
}));
const output = path.join(root, 'tsc-output');
if (fs.existsSync(output)) process.stdout.write(fs.readFileSync(output, 'utf8'));
if (fs.existsSync(path.join(root, 'tsc-exit'))) process.exit(3);
`;

const A_MINUTE_AGO = () => new Date(Date.now() - 60_000);

function project(name: string): string {
  const dir = path.join(scratch, name);
  const typescript = path.join(dir, 'node_modules', 'typescript');
  mkdirSync(path.join(typescript, 'bin'), { recursive: true });
  mkdirSync(path.join(dir, 'rules'));
  const files: [string, string][] = [
    ['package.json', JSON.stringify({ name, private: true, type: 'module' })],
    ['tsconfig.json', '{\n  // the base holds the options\n  "extends": "./tsconfig.base.json"\n}\n'],
    ['tsconfig.base.json', JSON.stringify({ compilerOptions: { strict: true } })],
    ['rules/picks.ts', 'export const picks = 1;\n'],
    ['node_modules/typescript/package.json', JSON.stringify({ name: 'typescript', version: '0.0.0' })],
    ['node_modules/typescript/bin/tsc', FAKE_TSC],
  ];
  for (const [file, content] of files) {
    writeFileSync(path.join(dir, file), content);
    // Written well before the check: a file modified just before it is never taken as checked.
    utimesSync(path.join(dir, file), A_MINUTE_AGO(), A_MINUTE_AGO());
  }
  return dir;
}

const runs = (dir: string) => readFileSync(path.join(dir, 'tsc-runs'), 'utf8').split('\n').length - 1;

/** Checks the project and gives how many times tsc has run so far. */
async function check(dir: string): Promise<number> {
  await typecheckOrganisation(dir);
  return runs(dir);
}

function edit(dir: string, file: string, content: string, when = A_MINUTE_AGO()) {
  writeFileSync(path.join(dir, file), content);
  utimesSync(path.join(dir, file), when, when);
}

describe('the type check of an unchanged organisation', () => {
  it('runs tsc again only once something it read has changed', async () => {
    const dir = project('unchanged');
    expect(await check(dir)).toBe(1);
    expect(await check(dir)).toBe(1);
    // A definition edited (even back-dated to before the check), the extended tsconfig, a package.json.
    edit(dir, 'rules/picks.ts', 'export const picks = 2;\n');
    expect(await check(dir)).toBe(2);
    expect(await check(dir)).toBe(2);
    edit(dir, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { strict: false } }));
    expect(await check(dir)).toBe(3);
    edit(dir, 'package.json', JSON.stringify({ name: 'unchanged', private: true }));
    expect(await check(dir)).toBe(4);
    expect(await check(dir)).toBe(4);
  });

  it('runs tsc again when a new module, package or type package could change the program', async () => {
    const dir = project('new-files');
    expect(await check(dir)).toBe(1);
    // A new definition module changes the program's root files.
    edit(dir, 'rules/more.ts', 'export const more = 1;\n');
    expect(await check(dir)).toBe(2);
    // A package.json tsc looked for and did not find.
    mkdirSync(path.join(dir, 'node_modules', 'absent'));
    edit(dir, 'node_modules/absent/package.json', '{}');
    expect(await check(dir)).toBe(3);
    expect(await check(dir)).toBe(3);
    // An install: npm's record of node_modules appears.
    edit(dir, 'node_modules/.package-lock.json', '{}');
    expect(await check(dir)).toBe(4);
    expect(await check(dir)).toBe(4);
  });

  it('runs tsc every time while it reports something, and answers what it reported', async () => {
    const dir = project('errors');
    writeFileSync(
      path.join(dir, 'tsc-output'),
      "rules/picks.ts(1,14): error TS2322: Type 'number' is bad.\n",
    );
    const first = await typecheckOrganisation(dir);
    expect(first.map((d) => d.id)).toEqual(['typecheck/TS2322']);
    expect((await typecheckOrganisation(dir)).map((d) => d.id)).toEqual(['typecheck/TS2322']);
    expect(runs(dir)).toBe(2);
    rmSync(path.join(dir, 'tsc-output'));
    expect(await check(dir)).toBe(3);
    expect(await check(dir)).toBe(3);
  });

  it('reports a tsc that stops without a diagnostic, and runs it again next time', async () => {
    const dir = project('stopped');
    writeFileSync(path.join(dir, 'tsc-exit'), '');
    const stopped = await typecheckOrganisation(dir);
    expect(stopped).toEqual([
      expect.objectContaining({
        severity: 'error',
        id: 'typecheck/tsc',
        message: 'tsc stopped (3) without reporting a diagnostic',
      }),
    ]);
    rmSync(path.join(dir, 'tsc-exit'));
    expect(await check(dir)).toBe(2);
    expect(await check(dir)).toBe(2);
  });

  it('does not take a check as clean when a file it read may have changed while tsc ran', async () => {
    const dir = project('recent');
    // Modified after the check began.
    edit(dir, 'rules/picks.ts', 'export const picks = 3;\n', new Date(Date.now() + 5_000));
    expect(await check(dir)).toBe(1);
    expect(await check(dir)).toBe(2);
    // Once it is older than the check, a check is recorded as clean.
    utimesSync(path.join(dir, 'rules/picks.ts'), A_MINUTE_AGO(), A_MINUTE_AGO());
    expect(await check(dir)).toBe(3);
    expect(await check(dir)).toBe(3);
  });

  it("takes a time of a whole second as a coarse file system's, which may lag by up to 2 s", async () => {
    // The last whole second at least 0.1 s ago: less than 2 s old for both checks.
    const second = Math.floor((Date.now() - 100) / 1000) * 1000;
    const coarse = project('coarse');
    edit(coarse, 'rules/picks.ts', 'export const picks = 4;\n', new Date(second));
    expect(await check(coarse)).toBe(1);
    expect(await check(coarse)).toBe(2);
    // The same age with milliseconds: a fine-grained time, older than the check by more than the clock's step.
    const fine = project('fine');
    edit(fine, 'rules/picks.ts', 'export const picks = 4;\n', new Date(second + 7));
    expect(await check(fine)).toBe(1);
    expect(await check(fine)).toBe(1);
  });

  it('runs tsc when its record is not one it wrote, whatever the record holds', async () => {
    const dir = project('edited-record');
    expect(await check(dir)).toBe(1);
    const folder = path.join(dir, 'node_modules', '.cache', 'o11y', 'typecheck');
    const file = path.join(folder, readdirSync(folder)[0]!, 'clean.json');
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const edits = [
      JSON.stringify({ ...written, files: null }),
      JSON.stringify({ ...written, missing: undefined }),
      JSON.stringify({ ...written, files: { ...(written.files as object), [path.join(dir, 'x')]: 'new' } }),
      'null',
      '{',
    ];
    for (const [index, text] of edits.entries()) {
      writeFileSync(file, text);
      expect(await check(dir)).toBe(index + 2);
    }
    expect(await check(dir)).toBe(edits.length + 1);
  });

  it('runs tsc every time when the tsconfig extends what cannot be found', async () => {
    const dir = project('lost-base');
    edit(dir, 'tsconfig.json', JSON.stringify({ extends: './nowhere.json' }));
    expect(await check(dir)).toBe(1);
    expect(await check(dir)).toBe(2);
    expect(existsSync(path.join(dir, 'node_modules', '.cache'))).toBe(true);
  });
});
