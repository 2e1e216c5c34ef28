import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { definitionModules } from '@o11y/build';
import {
  type Diagnostic,
  O11yError,
  O11yErrors,
  projectCacheDir,
  stableStringify,
  toDiagnostics,
  writeFileAtomic,
} from '@o11y/core';

const run = promisify(execFile);

/** tsc's `--pretty false` diagnostic line: `file(line,col): error TS2322: message`. */
const TSC_LINE = /^(.+)\((\d+),(\d+)\): (error|warning) TS(\d+): (.*)$/;

/**
 * The diagnostics of `tsc --pretty false` output. A message's elaboration (indented lines after it)
 * is folded into that message, so every error is reported once.
 */
export function parseTscOutput(output: string, root: string, cwd: string): Diagnostic[] {
  const diagnostics: Array<Diagnostic & { message: string }> = [];
  for (const line of output.split('\n')) {
    const match = TSC_LINE.exec(line);
    if (match) {
      const [, file, lineNo, column, severity, code, message] = match;
      const relative = path.relative(root, path.resolve(cwd, file!)).split(path.sep).join('/');
      diagnostics.push({
        severity: severity === 'error' ? 'error' : 'warning',
        message: message!,
        source: { file: relative, line: Number(lineNo), column: Number(column) },
        id: `typecheck/TS${code}`,
        hint: 'fix the type error; o11y build type-checks every definition before it replaces dist/',
      });
    } else if (line.startsWith('  ') && diagnostics.length > 0) {
      const last = diagnostics.at(-1)!;
      diagnostics[diagnostics.length - 1] = { ...last, message: `${last.message}\n    ${line.trim()}` };
    } else if (line.trim() !== '') {
      // A tsc error without a location (a broken tsconfig, a missing type package).
      diagnostics.push({ severity: 'error', message: line.trim(), id: 'typecheck/tsc' });
    }
  }
  return diagnostics;
}

/** `tsc` of the project's own `typescript`, else of the one the o11y CLI depends on. */
function tscPath(root: string): string {
  for (const from of [path.join(root, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const manifest = createRequire(from).resolve('typescript/package.json');
      return path.join(path.dirname(manifest), 'bin', 'tsc');
    } catch {
      // not installed there; try the next
    }
  }
  throw new O11yError('the TypeScript compiler is not installed, so the definitions cannot be type-checked', {
    id: 'typecheck/tsc',
    hint: 'run `npm install` (o11y depends on `typescript`)',
  });
}

/** What a project without a tsconfig.json is checked with: strict, and the ESM o11y's modules use. */
const DEFAULT_OPTIONS = {
  strict: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  // o11y's packages run compiled JavaScript and give their types as TypeScript sources under this condition.
  customConditions: ['o11y-source'],
};

/** Node's types when the project has them (o11y's package sources, read through o11y-source, need them). */
function nodeTypes(root: string): { types?: string[] } {
  try {
    createRequire(path.join(root, 'package.json')).resolve('@types/node/package.json');
    return { types: ['node'] };
  } catch {
    return {};
  }
}

/**
 * A tsconfig for the organisation only: the project's own tsconfig.json, its root files the
 * definition modules and o11y.config.ts (whatever they import comes along), incremental so that the
 * edit loop re-checks only what changed. It lives in the project's `typecheck` cache folder, under
 * node_modules (which git ignores), where tsc finds the project's `@types` as from the root.
 */
async function organisationConfig(
  root: string,
): Promise<{ readonly dir: string; readonly config: string; readonly text: string }> {
  const dir = projectCacheDir(root, 'typecheck');
  const projectConfig = path.join(root, 'tsconfig.json');
  const settings = path.join(root, 'o11y.config.ts');
  const text = stableStringify({
    ...(existsSync(projectConfig) && { extends: projectConfig }),
    files: [...(await definitionModules(root)), ...(existsSync(settings) ? [settings] : [])],
    include: [],
    compilerOptions: {
      ...(!existsSync(projectConfig) && { ...DEFAULT_OPTIONS, ...nodeTypes(root) }),
      noEmit: true,
      incremental: true,
      tsBuildInfoFile: path.join(dir, BUILD_INFO),
    },
  });
  const config = path.join(dir, 'tsconfig.json');
  // Written only when it changed: a build whose check stands reads it and nothing else here.
  if (!existsSync(config) || readFileSync(config, 'utf8') !== text) await writeFileAtomic(config, text);
  return { dir, config, text };
}

/**
 * Type-checks the organisation's definitions with the native TypeScript compiler (a child process),
 * unless a check found nothing and nothing it read has changed since (`CleanCheck`).
 */
export async function typecheckOrganisation(root: string): Promise<Diagnostic[]> {
  let tsc: string;
  try {
    tsc = tscPath(root);
  } catch (error) {
    return toDiagnostics(error);
  }
  const { dir, config, text } = await organisationConfig(root);
  const stamp = path.join(dir, CLEAN_STAMP);
  if (cleanCheckStands(stamp, tsc, text)) return [];
  await rm(stamp, { force: true, recursive: true });
  const started = Date.now();
  // tsc exits non-zero when it finds errors: its output is the result either way.
  const { stdout, stderr, stopped } = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, stopped: undefined }),
    (error: { stdout?: string; stderr?: string; code?: unknown; signal?: unknown }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? String(error),
      stopped: String(error.signal ?? error.code ?? 'failed'),
    }),
  );
  const diagnostics = parseTscOutput(`${stdout}${stderr}`, root, root);
  if (stopped === undefined && diagnostics.length === 0)
    await stampCleanCheck(stamp, { root, dir, tsc, text, started });
  if (stopped === undefined || diagnostics.length > 0) return diagnostics;
  // Killed, or out of memory: nothing was checked, which must not pass for a clean check.
  return [
    {
      severity: 'error',
      id: 'typecheck/tsc',
      message: `tsc stopped (${stopped}) without reporting a diagnostic`,
      hint: 'build again; if it stops again, run `npx tsc --noEmit -p tsconfig.json` to see why',
    },
  ];
}

/** tsc's record of the incremental check, beside the generated tsconfig.json. */
const BUILD_INFO = 'organisation.tsbuildinfo';
/** What the last check without a diagnostic read (`CleanCheck`), beside it. */
const CLEAN_STAMP = 'clean.json';

/**
 * What a check that found nothing read: the generated tsconfig's text, and the size and change time
 * (ctime: set by every write, and no tool sets it back, as `cp -p` or `touch` set modification times)
 * of every file it depends on (tsc's record of the program's files and package.json files, the
 * project's tsconfig chain, TypeScript's own package.json, the installs' markers), and which files it
 * looked for and did not find. While all of it is unchanged, the next build does not run tsc: an
 * incremental check of an unchanged program still costs about 0.4 s of wall time and 0.7 s of CPU on
 * the sample, a third of its build's CPU, on the core the build's checks run on.
 */
interface CleanCheck {
  readonly config: string;
  readonly files: Readonly<Record<string, readonly [ctimeMs: number, size: number]>>;
  readonly missing: readonly string[];
}

/**
 * How close to the start of a check a file's change time may be before the file may have changed while
 * tsc read it: such a check is not recorded, and the next build checks again. The kernel stamps times
 * from a clock a few milliseconds coarse; some file systems keep them to the second or two, and a time
 * of a whole second is taken to come from one of those.
 */
export function changeMarginMs(ctimeMs: number): number {
  return ctimeMs % 1000 === 0 ? 2_000 : 50;
}

/** A record as `stampCleanCheck` writes it; anything else (edited, another version's) is no record. */
function isCleanCheck(value: unknown): value is CleanCheck {
  const { config, files, missing } = (value ?? {}) as Partial<Record<keyof CleanCheck, unknown>>;
  return (
    typeof config === 'string' &&
    typeof files === 'object' &&
    files !== null &&
    Object.values(files).every(
      (stat) => Array.isArray(stat) && stat.length === 2 && stat.every((n) => typeof n === 'number'),
    ) &&
    isStrings(missing)
  );
}

/** Whether the recorded clean check still stands; false on any doubt (an unreadable file, an odd record). */
function cleanCheckStands(stamp: string, tsc: string, config: string): boolean {
  try {
    const recorded: unknown = JSON.parse(readFileSync(stamp, 'utf8'));
    if (!isCleanCheck(recorded) || recorded.config !== config) return false;
    if (!(typescriptManifest(tsc) in recorded.files)) return false;
    for (const [file, [ctimeMs, size]] of Object.entries(recorded.files)) {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (stat?.ctimeMs !== ctimeMs || stat.size !== size) return false;
    }
    return recorded.missing.every((file) => !existsSync(file));
  } catch {
    return false;
  }
}

/**
 * Records the check that just found nothing, when every file it read is known and none was modified
 * since shortly before it started; otherwise records nothing, so the next build checks again.
 */
async function stampCleanCheck(
  stamp: string,
  check: { root: string; dir: string; tsc: string; text: string; started: number },
): Promise<void> {
  try {
    const read = filesRead(check);
    if (!read) return;
    const files: Record<string, readonly [number, number]> = {};
    for (const file of read.files) {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat || stat.ctimeMs > check.started - changeMarginMs(stat.ctimeMs)) return;
      files[file] = [stat.ctimeMs, stat.size];
    }
    if (read.missing.some((file) => existsSync(file))) return;
    const recorded: CleanCheck = { config: check.text, files, missing: read.missing };
    await writeFileAtomic(stamp, JSON.stringify(recorded));
  } catch {
    // The record only saves the next build a check: without it, the next build checks again.
  }
}

/**
 * The files a check depends on, and those it looked for and did not find; undefined when that cannot be
 * told (no build info, a tsconfig `extends` that cannot be followed).
 */
function filesRead({
  root,
  dir,
  tsc,
}: {
  root: string;
  dir: string;
  tsc: string;
}): { files: string[]; missing: string[] } | undefined {
  let info: { fileNames?: unknown; packageJsons?: unknown; missingPackageJsons?: unknown };
  try {
    info = JSON.parse(readFileSync(path.join(dir, BUILD_INFO), 'utf8')) as typeof info;
  } catch {
    return undefined;
  }
  // TypeScript 7 leaves empty lists out of its build info.
  const { fileNames, packageJsons = [], missingPackageJsons = [] } = info;
  if (!isStrings(fileNames) || !isStrings(packageJsons) || !isStrings(missingPackageJsons)) return undefined;
  const configs = configChain(path.join(root, 'tsconfig.json'));
  if (!configs) return undefined;
  const installs = installMarkers(root);
  const resolve = (file: string) => path.resolve(dir, file);
  return {
    files: [
      // Names without a folder are TypeScript's own lib files: its package.json stands for them.
      ...fileNames.filter((file) => file.includes('/')).map(resolve),
      ...packageJsons.map(resolve),
      ...configs,
      ...installs.present,
      typescriptManifest(tsc),
    ],
    missing: [...missingPackageJsons.map(resolve), ...installs.absent],
  };
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** TypeScript's package.json, for the compiler's version (and its lib files). */
function typescriptManifest(tsc: string): string {
  return path.resolve(path.dirname(tsc), '..', 'package.json');
}

/**
 * What an install changes, from the root up: the record npm (`.package-lock.json`), pnpm
 * (`.modules.yaml`) or Yarn (`.yarn-state.yml`, `.yarn-integrity`) keeps in `node_modules`, and each
 * `node_modules/@types` folder (a new package there joins a program whose tsconfig lists no `types`).
 */
function installMarkers(root: string): { present: string[]; absent: string[] } {
  const present: string[] = [];
  const absent: string[] = [];
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    for (const marker of [
      '.package-lock.json',
      '.modules.yaml',
      '.yarn-state.yml',
      '.yarn-integrity',
      '@types',
    ]) {
      const file = path.join(dir, 'node_modules', marker);
      (existsSync(file) ? present : absent).push(file);
    }
    if (path.dirname(dir) === dir) return { present, absent };
  }
}

/** `"extends": "./base.json"` or `["a", "b"]`, the one setting of a tsconfig read here. */
const EXTENDS = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/;

/**
 * The project's tsconfig.json (when it has one) and every tsconfig it extends; undefined when an
 * `extends` cannot be followed to a file.
 */
function configChain(config: string, seen = new Set<string>()): string[] | undefined {
  if (seen.has(config)) return [];
  seen.add(config);
  let text: string;
  try {
    text = readFileSync(config, 'utf8');
  } catch {
    // The project's own tsconfig.json is optional; one it extends is not.
    return seen.size === 1 && !existsSync(config) ? [] : undefined;
  }
  // One of two (one commented out, say) cannot be told from the other without reading the whole JSONC.
  if (text.split('"extends"').length > 2) return undefined;
  const match = EXTENDS.exec(text);
  const chain = [config];
  if (!match) return chain;
  let specs: unknown;
  try {
    specs = JSON.parse(match[1]!);
  } catch {
    return undefined;
  }
  for (const spec of typeof specs === 'string' ? [specs] : isStrings(specs) ? specs : []) {
    const base = extendedConfig(spec, config);
    const rest = base && configChain(base, seen);
    if (!rest) return undefined;
    chain.push(...rest);
  }
  return chain;
}

/**
 * Where `extends: spec` of `from` points: a path, or a tsconfig in a package. For a package, undefined
 * unless exactly one of the files tsc may take exists (its package.json's `tsconfig`, `<spec>.json`,
 * `<spec>/tsconfig.json`, or `spec` itself when it names a .json file).
 */
function extendedConfig(spec: string, from: string): string | undefined {
  if (path.isAbsolute(spec) || spec.startsWith('.')) {
    const file = path.resolve(path.dirname(from), spec);
    return existsSync(file) ? file : existsSync(`${file}.json`) ? `${file}.json` : undefined;
  }
  const require = createRequire(from);
  const resolved = (request: string) => {
    try {
      return require.resolve(request);
    } catch {
      return undefined;
    }
  };
  const manifest = resolved(`${spec}/package.json`);
  const field = manifest && (JSON.parse(readFileSync(manifest, 'utf8')) as { tsconfig?: unknown }).tsconfig;
  const found = new Set(
    [
      typeof field === 'string' ? path.resolve(path.dirname(manifest!), field) : undefined,
      spec.endsWith('.json') ? resolved(spec) : undefined,
      resolved(`${spec}.json`),
      resolved(`${spec}/tsconfig.json`),
    ].filter((file): file is string => file !== undefined && file.endsWith('.json') && existsSync(file)),
  );
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * Runs `work` while the organisation is type-checked on the other core. `work` calls `gate` before
 * it commits its output, so a type error fails the build before dist/ is replaced. When `work` fails
 * too, the type errors come first: the other errors often follow from them.
 */
export async function whileTypechecking<T>(
  root: string,
  work: (gate: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const checked = typecheckOrganisation(root);
  const typeErrors = async () => (await checked).filter((d) => d.severity === 'error');
  try {
    return await work(async () => {
      const errors = await typeErrors();
      if (errors.length > 0) throw new O11yErrors(errors);
    });
  } catch (error) {
    const errors = await typeErrors();
    if (errors.length === 0) throw error;
    const rest = toDiagnostics(error).filter((d) => !errors.includes(d));
    throw new O11yErrors([...errors, ...rest]);
  }
}
