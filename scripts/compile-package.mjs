#!/usr/bin/env node
// Compiles the package in the working directory for run time: every src/**/*.ts except tests becomes
// dist/**/*.js (same relative path, so `new URL('../dist/…', import.meta.url)` finds the package's
// assets from src/ and from dist/ alike), with `.ts` import specifiers rewritten to `.js`. Transpiling
// only: `npm run typecheck` checks the types, on the sources. No source maps (they cost start-up time;
// errors users see point at their own TypeScript). Deterministic and written atomically per file.
//
// The third-party packages package.json lists under `compile.bundle` are bundled, once, into
// dist/bundled/<package>/<subpath>.js (esbuild, shared code in chunks, so every subpath the sources
// import still shares one copy of its classes), and the sources' imports of them point there. The
// Grafana foundation SDK is 276 modules; Node loads them one by one in 150 ms, at the start of every
// command that reads a dashboard; bundled they load in 45 ms.
//
// A package whose package.json sets `compile.bundleOwnModules` has its entry (dist/index.js) bundled
// too: its own modules and the bundled packages in one module (shared code of dynamic imports in
// dist/own-chunk-*.js), other packages still imported. The libraries every build, lint, test and diff
// loads were 240 modules; Node 20 resolves, reads and links each one: a fifth of the main thread's time
// in the sample's `o11y lint`, which took 0.84× as long bundled. The other modules are still written,
// one per source, for other entries (a worker thread's).
// A bundled module's `import.meta.url` is its entry's: such a package finds its files from any depth.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
// TypeScript 5's compiler API (the native typescript 7 that type-checks has none) transpiles, file by file.
const ts = require('typescript-5');
const esbuild = require('esbuild');

const packageDir = process.cwd();
const srcDir = path.join(packageDir, 'src');
const distDir = path.join(packageDir, 'dist');
const bundledDir = path.join(distDir, 'bundled');
const compileOptions = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).compile ?? {};
const bundledPackages = compileOptions.bundle ?? [];
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

/** Writes `content` to dist/<relative> atomically and records it. */
function emit(relative, content) {
  const target = path.join(distDir, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, content);
  renameSync(`${target}.tmp`, target);
  written.push(relative.split(path.sep).join('/'));
}

/** The bundled module an import of `specifier` loads (relative to dist/), if its package is bundled. */
function bundledModule(specifier) {
  const name = bundledPackages.find((p) => specifier === p || specifier.startsWith(`${p}/`));
  if (name === undefined) return undefined;
  return path.posix.join('bundled', specifier === name ? `${name}/index` : specifier);
}

// Every bundled package's subpath some source imports: the bundle's entry points.
const bundleEntries = new Set();
// What dist/ receives, [path relative to dist/, content], written once everything compiled.
const compiled = [];

/** A transformer that points the imports of bundled packages at their bundle, from dist/<output>. */
function importsOfBundles(output) {
  return (context) => {
    const { factory } = context;
    const relocated = (literal) => {
      const module = bundledModule(literal.text);
      if (module === undefined) return literal;
      bundleEntries.add(literal.text);
      const relative = path.posix.relative(path.posix.dirname(output), `${module}.js`);
      return factory.createStringLiteral(relative.startsWith('.') ? relative : `./${relative}`);
    };
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
        return factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          relocated(node.moduleSpecifier),
          node.attributes,
        );
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          relocated(node.moduleSpecifier),
          node.attributes,
        );
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      )
        return factory.updateCallExpression(node, node.expression, node.typeArguments, [
          relocated(node.arguments[0]),
          ...node.arguments.slice(1),
        ]);
      return ts.visitEachChild(node, visit, context);
    };
    return (sourceFile) => ts.visitEachChild(sourceFile, visit, context);
  };
}
for (const relative of sources) {
  const file = path.join(srcDir, relative);
  const outputPath = relative.replace(/\.ts$/, '.js').split(path.sep).join('/');
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions,
    fileName: path.posix.join('..', 'src', relative.split(path.sep).join('/')),
    reportDiagnostics: true,
    transformers: { after: [importsOfBundles(outputPath)] },
  });
  for (const diagnostic of output.diagnostics ?? []) {
    failed = true;
    console.error(
      `${path.relative(packageDir, file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  }
  compiled.push([outputPath, output.outputText]);
}
// The bundle before any module is written: a failed bundle leaves dist/ as it was, with no module
// pointing at a bundle that is not there.
if (bundleEntries.size > 0) {
  // Each entry re-exports by name what Node's import of the module gives (a CommonJS module's named
  // exports are found by Node's lexer; esbuild alone would give such a module only a default export).
  const fromPackage = createRequire(path.join(packageDir, 'package.json'));
  const entries = new Map();
  for (const specifier of [...bundleEntries].sort()) {
    const names = Object.keys(await import(pathToFileURL(fromPackage.resolve(specifier)).href))
      // `__esModule` is CommonJS's interop marker, not an export.
      .filter((name) => name !== 'default' && name !== '__esModule')
      .sort();
    entries.set(specifier, `export { ${names.join(', ')} } from ${JSON.stringify(specifier)};\n`);
  }
  const bundle = await esbuild.build({
    entryPoints: [...entries.keys()].map((specifier) => ({
      in: `bundle-entry:${specifier}`,
      out: bundledModule(specifier).slice('bundled/'.length),
    })),
    plugins: [
      {
        name: 'bundle-entries',
        setup(build) {
          build.onResolve({ filter: /^bundle-entry:/ }, (args) => ({
            path: args.path,
            namespace: 'bundle-entry',
          }));
          build.onLoad({ filter: /.*/, namespace: 'bundle-entry' }, (args) => ({
            contents: entries.get(args.path.slice('bundle-entry:'.length)),
            resolveDir: packageDir,
          }));
        },
      },
    ],
    absWorkingDir: packageDir,
    outdir: bundledDir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  for (const file of bundle.outputFiles) compiled.push([path.relative(distDir, file.path), file.contents]);
}
if (compileOptions.bundleOwnModules) {
  const bundled = await ownModulesBundled(compiled);
  compiled.splice(
    compiled.findIndex(([relative]) => relative === 'index.js'),
    1,
    ...bundled,
  );
}
for (const [relative, content] of compiled) emit(relative, content);
for (const relative of verbatim) emit(relative, readFileSync(path.join(srcDir, relative)));
for (const stale of previous)
  if (!written.includes(stale)) rmSync(path.join(distDir, stale), { force: true });
writeFileSync(manifestPath, `${JSON.stringify(written, null, 2)}\n`);
if (failed) process.exit(1);

/**
 * dist/index.js with the package's own modules (`compiled`, paths relative to dist/) bundled in, and the
 * chunks its dynamic imports share: what replaces the entry compiled alone. Other packages stay imports; a
 * relative import of a file that is not compiled here (copied verbatim) stays an import, from dist/.
 */
async function ownModulesBundled(compiled) {
  const modules = new Map(
    compiled.map(([relative, content]) => [relative.split(path.sep).join('/'), content]),
  );
  if (!modules.has('index.js')) throw new Error(`${packageDir}: bundleOwnModules needs src/index.ts`);
  const bundle = await esbuild.build({
    entryPoints: ['./index.js'],
    plugins: [
      {
        name: 'compiled-modules',
        setup(build) {
          build.onResolve({ filter: /^\./ }, (args) => {
            const from = args.kind === 'entry-point' ? '' : path.posix.dirname(args.importer);
            const resolved = path.posix.normalize(path.posix.join(from, args.path));
            if (resolved.startsWith('..')) throw new Error(`${args.importer}: ${args.path} is outside dist/`);
            return modules.has(resolved)
              ? { path: resolved, namespace: 'compiled' }
              : { path: `./${resolved}`, external: true };
          });
          // Other packages and Node's own modules.
          build.onResolve({ filter: /^[^.]/ }, (args) => ({ path: args.path, external: true }));
          build.onLoad({ filter: /.*/, namespace: 'compiled' }, (args) => ({
            contents: modules.get(args.path),
            loader: 'js',
          }));
        },
      },
    ],
    absWorkingDir: distDir,
    outdir: distDir,
    bundle: true,
    splitting: true,
    chunkNames: 'own-chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles.map((file) => [path.relative(distDir, file.path), file.contents]);
}
