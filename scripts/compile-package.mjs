#!/usr/bin/env node
// Compiles the package in the working directory for run time: every src/**/*.ts except tests becomes
// dist/**/*.js (same relative path, so `new URL('../dist/…', import.meta.url)` finds the package's
// assets from src/ and from dist/ alike), with `.ts` import specifiers rewritten to `.js`. Transpiling
// only: `npm run typecheck` checks the types, on the sources. No source maps (they cost start-up time;
// errors users see point at their own TypeScript). Deterministic and written atomically per file.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// TypeScript 5's compiler API (the native typescript 7 that type-checks has none) transpiles, file by file.
const ts = require('typescript-5');

const packageDir = process.cwd();
const srcDir = path.join(packageDir, 'src');
const distDir = path.join(packageDir, 'dist');
// What the previous run wrote, so that a deleted source leaves no stale module behind.
const manifestPath = path.join(distDir, '.compiled.json');

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
  rewriteRelativeImportExtensions: true,
};

const sources = readdirSync(srcDir, { recursive: true, withFileTypes: true })
  .filter(
    (e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'),
  )
  .map((e) => path.relative(srcDir, path.join(e.parentPath, e.name)))
  .sort();

// Modules already in JavaScript (e.g. a loader hook registered by URL) are copied as they are.
const verbatim = readdirSync(srcDir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.mjs'))
  .map((e) => path.relative(srcDir, path.join(e.parentPath, e.name)))
  .sort();

const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : [];
const written = [];
let failed = false;
for (const relative of sources) {
  const file = path.join(srcDir, relative);
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions,
    fileName: path.posix.join('..', 'src', relative.split(path.sep).join('/')),
    reportDiagnostics: true,
  });
  for (const diagnostic of output.diagnostics ?? []) {
    failed = true;
    console.error(
      `${path.relative(packageDir, file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  }
  const target = path.join(distDir, relative.replace(/\.ts$/, '.js'));
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, output.outputText);
  renameSync(`${target}.tmp`, target);
  written.push(path.relative(distDir, target).split(path.sep).join('/'));
}
for (const relative of verbatim) {
  const target = path.join(distDir, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, readFileSync(path.join(srcDir, relative)));
  renameSync(`${target}.tmp`, target);
  written.push(path.relative(distDir, target).split(path.sep).join('/'));
}
for (const stale of previous)
  if (!written.includes(stale)) rmSync(path.join(distDir, stale), { force: true });
writeFileSync(manifestPath, `${JSON.stringify(written, null, 2)}\n`);
if (failed) process.exit(1);
