import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Diagnostic, O11yErrors } from './errors.ts';
import { writeFileAtomic } from './fs.ts';
import { compareCodePoints } from './json.ts';
import { projectCacheDir } from './project-cache.ts';
import { projectRootOf } from './source.ts';

// The organisation's TypeScript modules, compiled to JavaScript once and imported from a cache: a command
// then imports them with Node's own loader, without a loader thread to start (0.1 s) and a round trip to
// it for every module (0.1 s on the sample). One compiled file per module, so each module is still
// evaluated once, and imports of the project's other modules point at their compiled files.
// `import.meta.url` (and `filename`, `dirname`) keep naming the TypeScript file; a source map gives
// stacks and source locations its lines. `import.meta.resolve` of a relative path would resolve from
// the compiled file: a module finds a file beside it with `new URL('./…', import.meta.url)`.

/** Why a module could not be compiled into the cache: the folder cannot be written (read-only, not a folder). */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC']);

class UnwritableCache extends Error {}

/** Runs a write to the cache; a file-system refusal becomes UnwritableCache. */
async function writingCache<T>(write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && UNWRITABLE.has(code)) throw new UnwritableCache(String(error));
    throw error;
  }
}

/**
 * Part of every module's key, so that a cache compiled another way is compiled again: bumped when the
 * compiled form changes, and esbuild's version. Read from its package.json: importing esbuild costs
 * 60 ms, which a build that finds everything compiled does not pay.
 */
let scheme: string | undefined;
function compiledScheme(): string {
  scheme ??= `o11y-compiled-1 esbuild ${(createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version}`;
  return scheme;
}

/** A module of the project that is compiled: TypeScript outside node_modules, not a declaration. */
function isProjectModule(file: string): boolean {
  return (
    /\.(?:m?ts|tsx)$/.test(file) && !file.endsWith('.d.ts') && !file.split(path.sep).includes('node_modules')
  );
}

interface ProjectCache {
  readonly root: string;
  /** The cache's folder for this root, as written. */
  readonly dir: string;
  /** The same folder with symbolic links resolved: the path Node gives the compiled modules it loads. */
  readonly realDir: string;
}

const caches = new Map<string, ProjectCache>();

/**
 * The cache of the project that owns `file`, in the project's `modules` cache folder: under the nearest
 * node_modules, where the compiled modules' bare imports (`@o11y/…`) resolve as they would from the project.
 */
function cacheOf(file: string): ProjectCache {
  const root = projectRootOf(path.dirname(file));
  let cache = caches.get(root);
  if (!cache) {
    const dir = projectCacheDir(root, 'modules');
    cache = { root, dir, realDir: realpathSync(dir) };
    caches.set(root, cache);
  }
  return cache;
}

/** Where `file` is compiled to, below its cache folder: its path from the root, `..` spelled so it stays inside. */
function compiledPathIn(dir: string, root: string, file: string): string {
  const relative = path
    .relative(root, file)
    .split(path.sep)
    .map((part) => (part === '..' ? '_up_' : part));
  return `${path.join(dir, ...relative)}.mjs`;
}

function compiledPath(file: string): string {
  const { dir, root } = cacheOf(file);
  return compiledPathIn(dir, root, file);
}

/** The TypeScript file of each compiled module this process imported, by the path Node gives it. */
const sources = new Map<string, string>();

/** The TypeScript file a compiled module was compiled from, or undefined for any other script. */
export function compiledFrom(script: string): string | undefined {
  return sources.get(script.startsWith('file://') ? fileURLToPath(script) : script);
}

/**
 * The last line of a compiled module (after its source map, which a first line would shift): the hash
 * of what it was compiled from, and the project modules it imports.
 */
interface Footer {
  readonly hash: string;
  readonly imports: readonly string[];
}

const FOOTER = '// o11y-compiled ';

function readFooter(compiled: string): Footer | undefined {
  const at = compiled.lastIndexOf(FOOTER);
  if (at < 0) return undefined;
  try {
    return JSON.parse(compiled.slice(at + FOOTER.length)) as Footer;
  } catch {
    return undefined;
  }
}

let esbuild: Promise<typeof import('esbuild')> | undefined;

/**
 * Compiles one module. esbuild reads it as TypeScript and resolves its imports as tsx would (`.js`
 * naming `.ts`, no extension, tsconfig paths), and every import stays an import: of the compiled file
 * for a project module, of the absolute file for any other file, as written for a package or a builtin.
 */
async function compile(
  file: string,
  hash: string,
): Promise<{ readonly code: string; readonly imports: string[] }> {
  esbuild ??= import('esbuild');
  const { build } = await esbuild;
  const { root } = cacheOf(file);
  const outfile = compiledPath(file);
  const imports = new Set<string>();
  const own = Symbol('o11y-resolve');
  const url = pathToFileURL(file).href;
  const importsStayImports: import('esbuild').Plugin = {
    name: 'o11y-imports',
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === own) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: own,
        });
        // esbuild's own resolver then fails too, at the line of the import.
        if (resolved.errors.length > 0) return undefined;
        if (isProjectModule(resolved.path)) {
          imports.add(resolved.path);
          let relative = path.relative(path.dirname(outfile), compiledPath(resolved.path));
          if (!relative.startsWith('.')) relative = `./${relative}`;
          return { path: relative.split(path.sep).join('/'), external: true };
        }
        const bare = !args.path.startsWith('.') && !path.isAbsolute(args.path);
        return { path: bare ? args.path : pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
  let outputs: readonly import('esbuild').OutputFile[];
  try {
    ({ outputFiles: outputs } = await build({
      entryPoints: [file],
      absWorkingDir: root,
      outfile,
      write: false,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      define: {
        'import.meta.url': JSON.stringify(url),
        'import.meta.filename': JSON.stringify(file),
        'import.meta.dirname': JSON.stringify(path.dirname(file)),
      },
      plugins: [importsStayImports],
    }));
  } catch (error) {
    throw compileErrors(root, error);
  }
  const code = outputs.find((output) => output.path === outfile)!.text;
  const map = JSON.parse(outputs.find((output) => output.path === `${outfile}.map`)!.text) as {
    sources: string[];
  };
  // The one source is the TypeScript file, by its own URL: wherever the cache is, and through links.
  map.sources = [url];
  const sorted = [...imports].sort(compareCodePoints);
  const footer: Footer = { hash, imports: sorted };
  const mapUrl = `data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
  return {
    code: `${code.replace(/\/\/# sourceMappingURL=\S*\n?$/, '')}//# sourceMappingURL=${mapUrl}\n${FOOTER}${JSON.stringify(footer)}\n`,
    imports: sorted,
  };
}

/** esbuild's errors (TypeScript it cannot read, an import it cannot find) at their file, line and column. */
function compileErrors(root: string, error: unknown): unknown {
  const errors = (error as { errors?: import('esbuild').Message[] }).errors;
  if (!errors || errors.length === 0) return error;
  return new O11yErrors(
    errors.map(
      ({ text, location }): Diagnostic => ({
        severity: 'error',
        message: text,
        ...(location && {
          source: {
            file: path.relative(root, path.resolve(root, location.file)).split(path.sep).join('/'),
            line: location.line,
            column: location.column + 1,
          },
        }),
        id: 'build/module',
        hint: 'fix the TypeScript at this line',
      }),
    ),
  );
}

/** Each module checked (and compiled if it changed) once a process: Node keeps the first import anyway. */
const checked = new Map<string, Promise<readonly string[]>>();

/** Checks one module, compiling it if its source or an import it resolved changed; the project modules it imports. */
function checkModule(file: string): Promise<readonly string[]> {
  let checking = checked.get(file);
  if (!checking) {
    checking = (async () => {
      const source = await readFile(file);
      const hash = createHash('sha256').update(compiledScheme()).update(source).digest('hex');
      const { dir, realDir, root } = await writingCache(() => cacheOf(file));
      const target = compiledPathIn(dir, root, file);
      sources.set(compiledPathIn(realDir, root, file), file);
      const footer = readFooter(await readFile(target, 'utf8').catch(() => ''));
      if (footer?.hash === hash && footer.imports.every((imported) => existsSync(imported)))
        return footer.imports;
      const compiled = await compile(file, hash);
      await writingCache(() => writeFileAtomic(target, compiled.code));
      return compiled.imports;
    })();
    checked.set(file, checking);
  }
  return checking;
}

/** Checks `entry` and every project module it imports, a wave at a time: import cycles end. */
async function checkGraph(entry: string): Promise<void> {
  const seen = new Set([entry]);
  for (let wave = [entry]; wave.length > 0; ) {
    const imports = await Promise.all(wave.map(checkModule));
    wave = [];
    for (const file of imports.flat()) {
      if (seen.has(file)) continue;
      seen.add(file);
      wave.push(file);
    }
  }
}

/**
 * The URL to import for one of the organisation's modules: its compiled file, compiled if need be; or
 * undefined when the cache cannot be written (a read-only node_modules), for the caller to import the
 * TypeScript another way.
 */
export async function compiledModuleUrl(file: string): Promise<string | undefined> {
  if (!isProjectModule(file)) return pathToFileURL(file).href;
  // Stacks and source locations read the compiled modules' source maps.
  process.setSourceMapsEnabled(true);
  try {
    await checkGraph(file);
  } catch (error) {
    if (error instanceof UnwritableCache) return undefined;
    throw error;
  }
  return pathToFileURL(compiledPath(file)).href;
}
