import { existsSync, readFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledFrom } from './compiled-modules.ts';

/** Where a definition was written: a file relative to the project root, 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export const UNKNOWN_SOURCE: SourceLocation = Object.freeze({ file: '<unknown>', line: 0, column: 0 });

const rootCache = new Map<string, string>();

/**
 * The project root that owns `fromDir`: the nearest ancestor whose package.json declares workspaces,
 * else the nearest with any package.json. Locations are relative to it so builds do not depend on cwd.
 */
export function projectRootOf(fromDir: string): string {
  const cached = rootCache.get(fromDir);
  if (cached) return cached;
  let dir = path.resolve(fromDir);
  let nearestPackage: string | undefined;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      nearestPackage ??= dir;
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
        if (parsed.workspaces) {
          rootCache.set(fromDir, dir);
          return dir;
        }
      } catch {
        // An unreadable manifest is not a root marker; keep walking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const root = nearestPackage ?? path.resolve(fromDir);
  rootCache.set(fromDir, root);
  return root;
}

// `    at fn (file:///a/b.ts:12:5)` or `    at file:///a/b.ts:12:5` or `    at /a/b.ts:12:5`
const FRAME = /(?:\(|^at )((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?$/;

/** Frames inside the o11y libraries (sources or compiled) or dependencies are never where a user defined something. */
function isLibraryFrame(file: string): boolean {
  const normalised = file.split(path.sep).join('/');
  return (
    normalised.includes('/node_modules/') ||
    /\/packages\/[^/]+\/(?:src|dist)\//.test(normalised) ||
    normalised.startsWith('node:')
  );
}

/**
 * The first frame of a V8 stack outside the o11y libraries and dependencies: the line in
 * `dashboards/…`, `rules/…` or a test that created an object or threw an error. Formatted stacks
 * carry the source-mapped .ts positions (of the compiled modules, tsx, a test runner), structured call
 * sites would not.
 */
export function sourceFromStack(stack: string): SourceLocation | undefined {
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const rawFile = match[1]!;
    const file = rawFile.startsWith('file://') ? fileURLToPath(rawFile) : rawFile;
    if (isLibraryFrame(file)) continue;
    const root = projectRootOf(path.dirname(file));
    return Object.freeze({
      file: path.relative(root, file).split(path.sep).join('/'),
      line: Number(match[2]),
      column: Number(match[3]),
    });
  }
  return undefined;
}

/** A script's URL or path → its file relative to its project root, or undefined for library code. */
const userFiles = new Map<string, string | undefined>();

function userFileOf(script: string): string | undefined {
  if (userFiles.has(script)) return userFiles.get(script);
  const file = compiledFrom(script) ?? (script.startsWith('file://') ? fileURLToPath(script) : script);
  const relative =
    !path.isAbsolute(file) || isLibraryFrame(file)
      ? undefined
      : path
          .relative(projectRootOf(path.dirname(file)), file)
          .split(path.sep)
          .join('/');
  userFiles.set(script, relative);
  return relative;
}

/**
 * The frames read first: a builder's caller is at most a few frames above `captureSource` (the fifth at
 * most, for every builder call of a 1,000-service organisation). The captures are a fifth of loading
 * those definitions; reading 6 frames instead of the usual 10 takes about a tenth off them.
 */
const NEAR_FRAMES = 6;

function rawCallSites(limit: number): NodeJS.CallSite[] {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const formatter = Error.prepareStackTrace;
  const configured = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = limit;
  try {
    Error.captureStackTrace(holder, captureSource);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = formatter;
    Error.stackTraceLimit = configured;
  }
}

/** Node's own stack formatter, which applies the source maps Node holds. */
const isNodeFormatter = (formatter: unknown) =>
  typeof formatter === 'function' && formatter.name === 'ErrorPrepareStackTrace';

/** The first user frame from V8's raw call sites (`userFrame`): of the nearest frames, else of all. */
function sourceFromCallSites(): SourceLocation | undefined {
  const limit = Error.stackTraceLimit;
  let found = userFrame(rawCallSites(Math.min(NEAR_FRAMES, limit)));
  if (found === NOT_FOUND && limit > NEAR_FRAMES) found = userFrame(rawCallSites(limit));
  return found === NOT_FOUND ? undefined : found;
}

const NOT_FOUND = Symbol('no user frame');

/**
 * The first user frame of these call sites, mapped through Node's source map of its script (every
 * compiled module carries one, and tsx registers one for every module it loads); a compiled module's
 * script is named by the TypeScript file it was compiled from. Undefined where that cannot be done exactly:
 * the formatted stack is then the answer. A builder is called for every panel, query and rule, and
 * formatting whole stacks through source maps was a fifth of a rebuild.
 */
function userFrame(sites: readonly NodeJS.CallSite[]): SourceLocation | undefined | typeof NOT_FOUND {
  for (const site of sites) {
    const script = site.getScriptNameOrSourceURL() ?? site.getFileName();
    if (!script || script.startsWith('node:')) continue;
    const file = userFileOf(script);
    if (file === undefined) continue;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (line === null || column === null) return undefined;
    if (!/\.[cm]?tsx?$/.test(file)) return Object.freeze({ file, line, column });
    const entry = findSourceMap(script)?.findEntry(line - 1, column - 1);
    if (!entry || !('originalLine' in entry)) return undefined;
    return Object.freeze({ file, line: entry.originalLine + 1, column: entry.originalColumn + 1 });
  }
  return NOT_FOUND;
}

/** The location every capture answers while `withSource` runs. */
let scoped: SourceLocation | undefined;

/**
 * Runs `make` with every `captureSource` in it answering `source`. For a library function that builds
 * many objects for one call of the user's and calls none of the user's code back (a dashboard kit):
 * each of its captures would walk the stack up to that same call. The RED kit's panels, queries and
 * variables were half the captures of a 1,000-service organisation (0.6 s of its 6.3 s of loading).
 */
export function withSource<T>(source: SourceLocation, make: () => T): T {
  const outer = scoped;
  scoped = source;
  try {
    return make();
  } finally {
    scoped = outer;
  }
}

/** Where the caller of a builder wrote the call. */
export function captureSource(): SourceLocation {
  if (scoped) return scoped;
  // Someone else formats stacks (a test runner mapping its own transforms): read what they print.
  const fast = isNodeFormatter(Error.prepareStackTrace) ? sourceFromCallSites() : undefined;
  return fast ?? sourceFromStack(new Error().stack ?? '') ?? UNKNOWN_SOURCE;
}

export function formatSource(source: SourceLocation | undefined): string {
  if (!source || source.file === UNKNOWN_SOURCE.file) return '<unknown source>';
  return `${source.file}:${source.line}:${source.column}`;
}
