import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type AlertEvaluator,
  type Artifact,
  type BuildContext,
  compareCodePoints,
  type Definition,
  DIST,
  type Diagnostic,
  type Emitter,
  formatSource,
  importOrganisationModule,
  isDefinition,
  kindOf,
  loadProjectLayout,
  type Manifest,
  type ManifestEntry,
  O11yError,
  O11yErrors,
  type ProjectModel,
  type SourceLocation,
  sha256,
  stableStringify,
  stagingDirFor,
  swapDirectory,
  toDiagnostics,
  treeWriter,
  type WrittenArtifact,
  writeTree,
} from '@o11y/core';
import { type LintConfig, loadConfig } from '@o11y/lint';
import { emitOrder, emitters } from './emitters.ts';
import { holdHeapGrowth } from './heap.ts';
import { projectModel } from './model.ts';
import {
  type FailOn,
  type LintStage,
  LintWorkerOutOfMemory,
  lintInWorker,
  lintStage,
  lintsInWorker,
  unverifiedSeries,
} from './verify.ts';

export interface BuildOptions {
  readonly root: string;
  /** Output directory, relative to root unless absolute. */
  readonly out?: string;
  readonly profile?: string;
  readonly log?: (line: string) => void;
  /** Skip the verify stage (lint, promtool, amtool, schema); `o11y diff` builds both sides without it. */
  readonly verify?: boolean;
  /** Lint findings of this severity or worse fail the build (default `error`). */
  readonly failOn?: FailOn;
  /** The lint configuration (checks, suppressions, budgets, catalogue); default: o11y.config.ts. */
  readonly config?: LintConfig;
  /** Awaited before the output replaces the previous one; throws to fail the build (the type check). */
  readonly beforeSwap?: () => Promise<void>;
  /** How definition modules are imported; `o11y dev` re-imports them fresh after an edit. */
  readonly importModule?: (file: string) => Promise<Record<string, unknown>>;
  /** Who evaluates the alerts of groups that do not choose; default: `alerting` of o11y.config.ts. */
  readonly alerting?: AlertEvaluator;
  /**
   * Lint in a worker thread, which reads o11y.config.ts itself, while this one emits and writes (without
   * verify, the worker only estimates the manifest's series). Default:
   * from LINT_WORKER_EXPRESSIONS rules and queries on, when the program gave setTypeScriptLoader (the
   * worker needs it for o11y.config.ts; the CLI gives it) and no `config` (the worker cannot have it).
   */
  readonly lintWorker?: boolean;
  /**
   * The lint worker's heap bound in MiB (default: `lintWorkerHeapMb` of the model, about twice what
   * the worker keeps). A worker that reaches it is stopped, and the build lints in its own thread.
   */
  readonly lintWorkerHeapMb?: number;
}

/** The build's stages, in the order they run. */
export const STAGES = ['load', 'emit', 'verify', 'write'] as const;
export type Stage = (typeof STAGES)[number];

export interface BuildResult {
  readonly outDir: string;
  readonly manifest: Manifest;
  readonly warnings: readonly Diagnostic[];
  /** Milliseconds each stage took; a stage the build skipped is absent. */
  readonly timings: ReadonlyMap<Stage, number>;
}

/** What to read of a project: everything (the default), or all but its `tests` folders (what lint needs). */
export interface ModuleSelection {
  readonly tests?: boolean;
}

/** Every module under `dirs`, recursively: TypeScript, not tests of vitest, not declarations. */
async function modulesUnder(dirs: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  async function walk(dir: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.test.ts') &&
        !entry.name.endsWith('.d.ts')
      )
        found.add(full);
    }
  }
  for (const dir of dirs) await walk(dir);
  return found;
}

/**
 * The project's modules in a stable order (code points, not locale), each with whether it is in one of
 * the `tests` folders o11y.config.ts declares with defineProject (inside or beside the definitions
 * folders: rules/, dashboards/, alertmanager/ by default).
 */
async function projectModules(
  root: string,
  { tests = true }: ModuleSelection,
): Promise<{ readonly file: string; readonly test: boolean }[]> {
  const layout = await loadProjectLayout(root);
  const testDirs = layout.tests.map((dir) => path.join(root, dir));
  const folders = tests ? [...layout.definitions, ...layout.tests] : layout.definitions;
  const files = await modulesUnder(folders.map((dir) => path.join(root, dir)));
  return [...files]
    .sort(compareCodePoints)
    .map((file) => ({ file, test: testDirs.some((dir) => file.startsWith(`${dir}${path.sep}`)) }))
    .filter((module) => tests || !module.test);
}

/** Every definition module, in a stable order (code points, not locale). */
export async function definitionModules(root: string, selection: ModuleSelection = {}): Promise<string[]> {
  return (await projectModules(root, selection)).map((module) => module.file);
}

/** The kinds a module of a `tests` folder may export: the emitters' test kinds. */
const TEST_KINDS: ReadonlySet<string> = new Set(emitters.flatMap((emitter) => emitter.testKinds ?? []));

const IMPORTS_IN_FLIGHT = 4;

/** Imports every definition module and collects the definitions it exports (directly or in arrays). */
export async function loadDefinitions(
  root: string,
  {
    importModule = importOrganisationModule,
    ...selection
  }: ModuleSelection & {
    readonly importModule?: ((file: string) => Promise<Record<string, unknown>>) | undefined;
  } = {},
): Promise<Definition[]> {
  const seen = new Set<Definition>();
  const definitions: Definition[] = [];
  const failures: Diagnostic[] = [];
  const reported = new Set<string>();
  // What a tests module exports besides tests: taken from the definitions module that exports it too,
  // as lint takes it, or an error.
  const strays: { readonly candidate: Definition; readonly name: string; readonly file: string }[] = [];
  const modules = await projectModules(root, selection);
  const files = modules.map((module) => module.file);
  // A few imports in flight: the loader reads and transpiles the next modules while one evaluates. Not
  // all at once, which holds every module's text at the same time; taken in file order, so the
  // definitions' order does not depend on which finished first.
  const imports = new Map<number, Promise<Record<string, unknown>>>();
  const start = (index: number) => {
    const file = files[index];
    if (file === undefined) return;
    const importing = importModule(file);
    importing.catch(() => undefined);
    imports.set(index, importing);
  };
  for (let index = 0; index < IMPORTS_IN_FLIGHT; index++) start(index);
  for (const [index, file] of files.entries()) {
    const imported = await imports.get(index)!.then(
      (exports) => ({ exports }),
      (error: unknown) => ({ error }),
    );
    imports.delete(index);
    start(index + IMPORTS_IN_FLIGHT);
    if ('error' in imported) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      for (const d of toDiagnostics(imported.error)) {
        const source = d.source ?? { file: relative, line: 1, column: 1 };
        // A shared module (the catalogue) that throws fails every definition importing it: once.
        const key = `${source.file}:${source.line}:${source.column} ${d.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        failures.push({
          ...d,
          source,
          id: d.id ?? 'build/module',
          hint: d.hint ?? `fix the error in ${source.file}; the previous dist/ is left unchanged`,
        });
      }
      continue;
    }
    const { exports } = imported;
    for (const name of Object.keys(exports).sort(compareCodePoints)) {
      const value = exports[name];
      for (const candidate of Array.isArray(value) ? value : [value]) {
        if (!isDefinition(candidate)) continue;
        if (modules[index]!.test && !TEST_KINDS.has(kindOf(candidate)))
          strays.push({ candidate, name, file });
        else if (!seen.has(candidate)) {
          seen.add(candidate);
          definitions.push(candidate);
        }
      }
    }
  }
  for (const { candidate, name, file } of strays) {
    if (seen.has(candidate)) continue;
    const relative = path.relative(root, file).split(path.sep).join('/');
    failures.push({
      severity: 'error',
      message: `${relative} is in a tests folder of o11y.config.ts and exports "${name}", a ${kindOf(candidate)} no definitions module exports: lint, which does not read tests folders, would not see it`,
      source: candidate.source,
      id: 'build/test-module',
      hint: 'define it in a definitions folder (and import it here), or take the folder out of tests',
    });
  }
  if (failures.length > 0) throw new O11yErrors(failures);
  return definitions;
}

/**
 * What is wrong with the paths of `own` (outside dist/, reserved, or one `sourceByPath` already has);
 * adds them to `sourceByPath`, with only their sources: not their text.
 */
export function pathProblems(
  own: readonly Artifact[],
  sourceByPath: Map<string, SourceLocation>,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const artifact of own) {
    const normalised = path.posix.normalize(artifact.path);
    if (normalised.startsWith('..') || path.posix.isAbsolute(normalised) || normalised === DIST.manifest) {
      problems.push({
        severity: 'error',
        message: `artifact path "${artifact.path}" is outside dist/ or reserved`,
        source: artifact.source,
        id: 'build/artifact-path',
      });
    }
    const earlier = sourceByPath.get(normalised);
    if (earlier) {
      problems.push({
        severity: 'error',
        message: `two definitions write ${normalised} (the other is at ${earlier.file}:${earlier.line})`,
        source: artifact.source,
        id: 'build/duplicate-artifact',
        hint: 'give one of them a different name or uid',
      });
    }
    sourceByPath.set(normalised, artifact.source);
  }
  return problems;
}

function emitterFor(definition: Definition, available: readonly Emitter[]): Emitter {
  const kind = kindOf(definition);
  const emitter = available.find((e) => e.kinds.includes(kind));
  if (!emitter) {
    throw new O11yError(`no emitter handles definitions of kind "${kind}"`, {
      source: definition.source,
      id: 'build/unknown-kind',
    });
  }
  return emitter;
}

/** Runs `work` and adds its duration to `stage`. */
async function timed<T>(timings: Map<Stage, number>, stage: Stage, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.set(stage, (timings.get(stage) ?? 0) + performance.now() - started);
  }
}

/** The artifacts of `emit()` one at a time; what it throws, after the artifacts before. */
async function* artifactsOf(emit: () => Promise<Iterable<Artifact>> | Iterable<Artifact>) {
  yield* await emit();
}

/**
 * Runs each emitter in turn (`emitOrder`) and writes its artifacts to `staging` as they come, keeping
 * their paths, kinds, sources and hashes, not their text: a large organisation's artifacts are hundreds
 * of megabytes, and verify reads the files. Every path is checked before its file is written. A file
 * the output it will replace (`previous`) holds unchanged is linked from it (`treeWriter`).
 */
async function emitAndWrite(
  definitions: readonly Definition[],
  context: BuildContext,
  { staging, previous }: { readonly staging: string; readonly previous: string },
  timings: Map<Stage, number>,
) {
  const byEmitter = new Map<Emitter, Definition[]>(emitters.map((e) => [e, []]));
  for (const definition of definitions) byEmitter.get(emitterFor(definition, emitters))!.push(definition);
  const written: ManifestEntry[] = [];
  const emitted = new Map<Emitter, readonly WrittenArtifact[]>();
  const sourceByPath = new Map<string, SourceLocation>();
  const failuresOf = new Map<Emitter, Diagnostic[]>();
  const pathFailures: Diagnostic[] = [];
  const write = treeWriter(staging, previous);
  for (const emitter of emitOrder) {
    const own: ManifestEntry[] = [];
    const artifacts = artifactsOf(() => emitter.emit(byEmitter.get(emitter)!, context));
    for (;;) {
      let next: IteratorResult<Artifact>;
      try {
        next = await timed(timings, 'emit', () => artifacts.next());
      } catch (error) {
        const found = toDiagnostics(error);
        if (found.length > 0) failuresOf.set(emitter, found);
        break;
      }
      if (next.done) break;
      const artifact = next.value;
      pathFailures.push(...pathProblems([artifact], sourceByPath));
      // Once the build has failed, nothing more is written: the staging directory goes.
      if (failuresOf.size > 0 || pathFailures.length > 0) continue;
      await timed(timings, 'write', async () => write(artifact));
      const { kind, source, content } = artifact;
      own.push({ path: artifact.path, kind, source, sha256: sha256(content) });
    }
    emitted.set(emitter, own);
    written.push(...own);
  }
  // An emitter's errors first, in the order of `emitters`: a path is wrong only in what emitted.
  const failures = emitters.flatMap((emitter) => failuresOf.get(emitter) ?? []);
  if (failures.length > 0) throw new O11yErrors(failures);
  if (pathFailures.length > 0) throw new O11yErrors(pathFailures);
  written.sort((a, b) => compareCodePoints(a.path, b.path));
  return { written, emitted };
}

/**
 * An emitter's verify problems without those lint has already failed the build on: a problem with the
 * id of a lint check at the TypeScript line of one of that check's failures is the same problem (an
 * expression promtool or the dashboards' verify cannot parse is promql/syntax's, a LogQL query
 * logql/syntax's), said once, by lint. A lint finding that does not fail the build (a warning, or the
 * check off) hides nothing.
 */
function withoutRepeats(problems: readonly Diagnostic[], lintFailures: readonly Diagnostic[]): Diagnostic[] {
  const key = ({ id, source }: Diagnostic) => `${id} ${formatSource(source)}`;
  const failed = new Set(lintFailures.map(key));
  return problems.filter((problem) => !failed.has(key(problem)));
}

interface LintStart {
  readonly root: string;
  readonly verify: boolean;
  readonly failOn: FailOn;
  readonly config: LintConfig;
  /** BuildOptions.lintWorker, and whether the options gave the configuration (a worker cannot have it). */
  readonly lintWorker: boolean | undefined;
  readonly lintWorkerHeapMb: number | undefined;
  readonly givenConfig: boolean;
  readonly signal: AbortSignal;
  /** The build's context: a worker that runs out of memory is replaced by lint here, of a model made again. */
  readonly context: BuildContext;
}

/**
 * The lint stage of the build (without verify, only its series estimates): started now in a worker,
 * which lints the model while this thread emits, or run here when asked for.
 */
function startLint(model: ProjectModel, start: LintStart): StartedLint {
  if (start.lintWorker ?? (!start.givenConfig && lintsInWorker(model)))
    return { stage: lintStarted(model, start), inWorker: true };
  return { stage: lintHere(model, start), inWorker: false };
}

/** The lint stage as started: `stage()` runs it here, or gives the worker's answer. */
interface StartedLint {
  readonly stage: () => Promise<LintStage>;
  readonly inWorker: boolean;
}

function lintHere(model: ProjectModel, { verify, config, failOn }: LintStart): () => Promise<LintStage> {
  if (verify) return () => lintStage(model, config, failOn);
  return async () => ({ failures: [], warnings: [], series: await unverifiedSeries(model, config) });
}

/**
 * The lint stage, started in a worker. Its own function: the stage it returns closes over the worker's
 * answer only, so this thread keeps no model (closures of one scope share what any of them uses). A
 * worker that reaches its heap bound is replaced by lint in this thread, of the model made again (in a
 * context of its own: the dashboards emitter takes what a model compiled for the build's context).
 */
function lintStarted(model: ProjectModel, start: LintStart) {
  const { root, verify, failOn, signal, lintWorkerHeapMb, context } = start;
  const linting = lintInWorker(model, root, verify ? failOn : undefined, signal, lintWorkerHeapMb).catch(
    async (error: unknown) => {
      if (!(error instanceof LintWorkerOutOfMemory)) throw error;
      context.log(`${error.message}: linting in the build's thread`);
      return lintHere(await projectModel({ ...context }), start)();
    },
  );
  linting.catch(() => undefined);
  return () => linting;
}

/**
 * Builds in four stages. **load** imports the definitions; **emit** turns them into artifacts and the
 * project model; **verify** lints the model (findings at `failOn` or worse fail the build) and runs
 * every emitter's checks on the artifacts written to a staging directory (promtool, amtool, schema);
 * **write** adds the manifest, with each artifact's series estimate, and only then swaps the staging
 * directory into place: a failed build leaves the previous output untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = path.resolve(options.root);
  const outDir = path.resolve(root, options.out ?? 'dist');
  const log = options.log ?? (() => {});
  const profile = options.profile ?? 'default';
  const verify = options.verify !== false;
  const timings = new Map<Stage, number>();
  const { definitions, config, alerting } = await timed(timings, 'load', async () => ({
    definitions: await loadDefinitions(root, { importModule: options.importModule }),
    config: options.config ?? (await loadConfig(root)),
    alerting: options.alerting ?? (await loadProjectLayout(root)).alerting,
  }));
  const context: BuildContext = { root, definitions, profile, log, alerting };
  const failOn = options.failOn ?? 'error';
  // A failed build does not wait for its lint worker.
  const stopLint = new AbortController();
  const staging = await stagingDirFor(outDir);
  try {
    // The model first, so that a worker lints it while this thread emits; an emitter's errors are
    // still reported before the model's, as when the model came second.
    const linting = await timed(timings, 'emit', () =>
      projectModel(context).then(
        (model) => ({
          lint: startLint(model, {
            root,
            verify,
            failOn,
            config,
            lintWorker: options.lintWorker,
            lintWorkerHeapMb: options.lintWorkerHeapMb,
            givenConfig: options.config !== undefined,
            signal: stopLint.signal,
            context,
          }),
        }),
        (error: unknown) => ({ error }),
      ),
    );
    if ('lint' in linting && linting.lint.inWorker) {
      // Both threads' heaps peak at the end of emit: the worker's is bounded, and this one's growth is
      // held from here, where the model the worker was sent is garbage, until the worker answers.
      const release = holdHeapGrowth();
      linting.lint.stage().then(release, release);
    }
    const { written, emitted } = await emitAndWrite(
      definitions,
      context,
      { staging, previous: outDir },
      timings,
    );
    if ('error' in linting) throw linting.error;
    const warnings: Diagnostic[] = [];
    const series = await timed(timings, 'verify', async () => {
      if (!verify) return (await linting.lint.stage()).series;
      // All at once: lint's analysis keeps this thread (or its worker) busy while promtool, amtool and
      // the native parsers the emitters wait for work on the other core. Findings keep the emitters' order.
      const [linted, ...verified] = await Promise.all([
        linting.lint.stage(),
        ...emitters.map((emitter) => {
          const own = emitted.get(emitter) ?? [];
          return emitter.verify && own.length > 0 ? emitter.verify(own, staging, context) : [];
        }),
      ]);
      const failures = [...linted.failures];
      warnings.push(...linted.warnings);
      for (const found of verified.map((problems) => withoutRepeats(problems, linted.failures))) {
        failures.push(...found.filter((d) => d.severity === 'error'));
        warnings.push(...found.filter((d) => d.severity !== 'error'));
      }
      if (failures.length > 0) throw new O11yErrors(failures);
      return linted.series;
    });
    const manifest = await timed(timings, 'write', async () => {
      const manifest: Manifest = {
        version: 1,
        profile,
        artifacts: written.map((entry) => ({
          ...entry,
          ...(series.has(entry.path) && { estimatedSeries: series.get(entry.path) }),
        })),
      };
      await writeTree(staging, [{ path: DIST.manifest, content: stableStringify(manifest) }]);
      await options.beforeSwap?.();
      await swapDirectory(staging, outDir);
      return manifest;
    });
    return { outDir, manifest, warnings, timings };
  } catch (error) {
    stopLint.abort();
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
