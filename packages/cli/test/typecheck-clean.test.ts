import {
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
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { changeMarginMs, typecheckOrganisation } from '../src/typecheck.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-typecheck-clean-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A stand-in for the project's own `typescript` (tsc is looked up there first). It counts its runs,
 * prints what `tsc-output` holds, exits 3 when there is a `tsc-exit`, rewrites the definition when
 * there is a `tsc-touch` (an edit while it runs), and writes the build info the real tsc writes: the
 * program's root files and the package.json files it looked for, found or not.
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
const picks = path.join(root, 'rules', 'picks.ts');
if (fs.existsSync(path.join(root, 'tsc-touch'))) fs.writeFileSync(picks, fs.readFileSync(picks));
const output = path.join(root, 'tsc-output');
if (fs.existsSync(output)) process.stdout.write(fs.readFileSync(output, 'utf8'));
if (fs.existsSync(path.join(root, 'tsc-exit'))) process.exit(3);
`;

const A_MINUTE_AGO = () => new Date(Date.now() - 60_000);

/** Long enough for what was just written to be older than a check that starts now (`changeMarginMs`). */
const settle = () => sleep(150);

async function project(name: string): Promise<string> {
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
  for (const [file, content] of files) writeFileSync(path.join(dir, file), content);
  await settle();
  return dir;
}

const runs = (dir: string) => readFileSync(path.join(dir, 'tsc-runs'), 'utf8').split('\n').length - 1;

/** Checks the project and gives how many times tsc has run so far. */
async function check(dir: string): Promise<number> {
  await typecheckOrganisation(dir);
  return runs(dir);
}

/** Writes a file, its modification time a minute back (as `cp -p` or `touch -d` would leave it). */
async function edit(dir: string, file: string, content: string) {
  writeFileSync(path.join(dir, file), content);
  utimesSync(path.join(dir, file), A_MINUTE_AGO(), A_MINUTE_AGO());
  await settle();
}

describe('the type check of an unchanged organisation', () => {
  it('runs tsc again only once something it read has changed, whatever its modification time', async () => {
    const dir = await project('unchanged');
    expect(await check(dir)).toBe(1);
    expect(await check(dir)).toBe(1);
    // A definition, the extended tsconfig, a package.json.
    await edit(dir, 'rules/picks.ts', 'export const picks = 2;\n');
    expect(await check(dir)).toBe(2);
    expect(await check(dir)).toBe(2);
    await edit(dir, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { strict: false } }));
    expect(await check(dir)).toBe(3);
    await edit(dir, 'package.json', JSON.stringify({ name: 'unchanged', private: true }));
    expect(await check(dir)).toBe(4);
    expect(await check(dir)).toBe(4);
  });

  it('runs tsc again when a new module, package or type package could change the program', async () => {
    const dir = await project('new-files');
    expect(await check(dir)).toBe(1);
    // A new definition module changes the program's root files.
    await edit(dir, 'rules/more.ts', 'export const more = 1;\n');
    expect(await check(dir)).toBe(2);
    // A package.json tsc looked for and did not find.
    mkdirSync(path.join(dir, 'node_modules', 'absent'));
    await edit(dir, 'node_modules/absent/package.json', '{}');
    expect(await check(dir)).toBe(3);
    expect(await check(dir)).toBe(3);
    // An install: npm's record of node_modules appears; then a type package.
    await edit(dir, 'node_modules/.package-lock.json', '{}');
    expect(await check(dir)).toBe(4);
    expect(await check(dir)).toBe(4);
    mkdirSync(path.join(dir, 'node_modules', '@types', 'picks'), { recursive: true });
    await settle();
    expect(await check(dir)).toBe(5);
    expect(await check(dir)).toBe(5);
  });

  it('runs tsc every time while it reports something, and answers what it reported', async () => {
    const dir = await project('errors');
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
    const dir = await project('stopped');
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

  it('does not take a check as clean when a file it read changed while tsc ran', async () => {
    const dir = await project('during');
    writeFileSync(path.join(dir, 'tsc-touch'), '');
    expect(await check(dir)).toBe(1);
    rmSync(path.join(dir, 'tsc-touch'));
    await settle();
    expect(await check(dir)).toBe(2);
    expect(await check(dir)).toBe(2);
  });

  it('keeps 2 s between a change and a check for times of a whole second, as coarse file systems keep them', () => {
    expect(changeMarginMs(1_764_979_200_000)).toBe(2_000);
    expect(changeMarginMs(1_764_979_200_007.5)).toBe(50);
  });

  it('runs tsc when its record is not one it wrote, whatever the record holds', async () => {
    const dir = await project('edited-record');
    expect(await check(dir)).toBe(1);
    const folder = path.join(dir, 'node_modules', '.cache', 'o11y', 'typecheck');
    const file = path.join(folder, readdirSync(folder)[0]!, 'clean.json');
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const edits = [
      JSON.stringify({ ...written, files: null }),
      JSON.stringify({ ...written, missing: undefined }),
      JSON.stringify({ ...written, files: { ...(written.files as object), [path.join(dir, 'x')]: 'new' } }),
      JSON.stringify({ ...written, files: { ...(written.files as object), 'a\u0000b': [1, 2] } }),
      'null',
      '{',
    ];
    for (const [index, text] of edits.entries()) {
      writeFileSync(file, text);
      expect(await check(dir)).toBe(index + 2);
    }
    await settle();
    expect(await check(dir)).toBe(edits.length + 1);
  });

  it('runs tsc every time when the tsconfig chain cannot be told for sure', async () => {
    const lost = await project('lost-base');
    await edit(lost, 'tsconfig.json', JSON.stringify({ extends: './nowhere.json' }));
    expect(await check(lost)).toBe(1);
    expect(await check(lost)).toBe(2);
    // Which of two `extends` counts (one commented out) is not read here.
    const commented = await project('commented-base');
    await edit(commented, 'tsconfig.old.json', '{}');
    await edit(
      commented,
      'tsconfig.json',
      '{\n  // "extends": "./tsconfig.old.json",\n  "extends": "./tsconfig.base.json"\n}\n',
    );
    expect(await check(commented)).toBe(1);
    expect(await check(commented)).toBe(2);
  });
});
