import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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
async function organisationConfig(root: string): Promise<string> {
  const dir = projectCacheDir(root, 'typecheck');
  const config = path.join(dir, 'tsconfig.json');
  const projectConfig = path.join(root, 'tsconfig.json');
  const settings = path.join(root, 'o11y.config.ts');
  await writeFileAtomic(
    config,
    stableStringify({
      ...(existsSync(projectConfig) && { extends: projectConfig }),
      files: [...(await definitionModules(root)), ...(existsSync(settings) ? [settings] : [])],
      include: [],
      compilerOptions: {
        ...(!existsSync(projectConfig) && { ...DEFAULT_OPTIONS, ...nodeTypes(root) }),
        noEmit: true,
        incremental: true,
        tsBuildInfoFile: path.join(dir, 'organisation.tsbuildinfo'),
      },
    }),
  );
  return config;
}

/** Type-checks the organisation's definitions with the native TypeScript compiler (a child process). */
export async function typecheckOrganisation(root: string): Promise<Diagnostic[]> {
  let tsc: string;
  try {
    tsc = tscPath(root);
  } catch (error) {
    return toDiagnostics(error);
  }
  const config = await organisationConfig(root);
  // tsc exits non-zero when it finds errors: its output is the result either way.
  const { stdout, stderr } = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? String(error),
  }));
  const output = `${stdout}${stderr}`;
  return parseTscOutput(output, root, root);
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
