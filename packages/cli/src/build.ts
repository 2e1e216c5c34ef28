import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Artifact,
  type BuildContext,
  compareCodePoints,
  type Definition,
  type Diagnostic,
  type Emitter,
  isDefinition,
  kindOf,
  O11yError,
  O11yErrors,
  type SourceLocation,
  sha256,
  stableStringify,
  stagingDirFor,
  swapDirectory,
  toDiagnostics,
  writeTree,
} from '@o11y/core';
import { emitters } from './emitters.ts';

/** The folders whose TypeScript modules define the organisation's artifacts. */
export const DEFINITION_DIRS = ['rules', 'dashboards', 'alertmanager'] as const;

export interface BuildOptions {
  readonly root: string;
  /** Output directory, relative to root unless absolute. */
  readonly out?: string;
  readonly profile?: string;
  readonly log?: (line: string) => void;
  /** Skip the external verifiers (promtool, amtool, schema); `o11y diff` builds both sides without them. */
  readonly verify?: boolean;
  /** How definition modules are imported; `o11y dev` re-imports them fresh after an edit. */
  readonly importModule?: (file: string) => Promise<Record<string, unknown>>;
}

export interface ManifestEntry {
  readonly path: string;
  readonly kind: string;
  readonly sha256: string;
  readonly source: SourceLocation;
}

export interface Manifest {
  readonly version: 1;
  readonly profile: string;
  readonly artifacts: readonly ManifestEntry[];
}

export interface BuildResult {
  readonly outDir: string;
  readonly manifest: Manifest;
  readonly warnings: readonly Diagnostic[];
}

/** Every definition module, in a stable order (code points, not locale). */
export async function definitionModules(root: string): Promise<string[]> {
  const found: string[] = [];
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
        found.push(full);
    }
  }
  for (const dir of DEFINITION_DIRS) await walk(path.join(root, dir));
  return found.sort(compareCodePoints);
}

/** Imports every definition module and collects the definitions it exports (directly or in arrays). */
export async function loadDefinitions(
  root: string,
  importModule: (file: string) => Promise<Record<string, unknown>> = (file) =>
    import(pathToFileURL(file).href),
): Promise<Definition[]> {
  const seen = new Set<Definition>();
  const definitions: Definition[] = [];
  const failures: Diagnostic[] = [];
  for (const file of await definitionModules(root)) {
    let exports: Record<string, unknown>;
    try {
      exports = await importModule(file);
    } catch (error) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      for (const d of toDiagnostics(error)) {
        failures.push({
          ...d,
          source: d.source ?? { file: relative, line: 1, column: 1 },
          id: d.id ?? 'build/module',
          hint: d.hint ?? `fix the error in ${relative}; the previous dist/ is left unchanged`,
        });
      }
      continue;
    }
    for (const name of Object.keys(exports).sort(compareCodePoints)) {
      const value = exports[name];
      for (const candidate of Array.isArray(value) ? value : [value]) {
        if (isDefinition(candidate) && !seen.has(candidate)) {
          seen.add(candidate);
          definitions.push(candidate);
        }
      }
    }
  }
  if (failures.length > 0) throw new O11yErrors(failures);
  return definitions;
}

function checkArtifacts(artifacts: readonly Artifact[]): void {
  const byPath = new Map<string, Artifact>();
  const problems: Diagnostic[] = [];
  for (const artifact of artifacts) {
    const normalised = path.posix.normalize(artifact.path);
    if (normalised.startsWith('..') || path.posix.isAbsolute(normalised) || normalised === 'manifest.json') {
      problems.push({
        severity: 'error',
        message: `artifact path "${artifact.path}" is outside dist/ or reserved`,
        source: artifact.source,
        id: 'build/artifact-path',
      });
    }
    const earlier = byPath.get(normalised);
    if (earlier) {
      problems.push({
        severity: 'error',
        message: `two definitions write ${normalised} (the other is at ${earlier.source.file}:${earlier.source.line})`,
        source: artifact.source,
        id: 'build/duplicate-artifact',
        hint: 'give one of them a different name or uid',
      });
    }
    byPath.set(normalised, artifact);
  }
  if (problems.length > 0) throw new O11yErrors(problems);
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

/**
 * Builds every artifact into a staging directory, verifies it, writes the manifest, and only then
 * swaps it into place: a failed build leaves the previous output untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = path.resolve(options.root);
  const outDir = path.resolve(root, options.out ?? 'dist');
  const log = options.log ?? (() => {});
  const profile = options.profile ?? 'default';
  const definitions = await loadDefinitions(root, options.importModule);
  const context: BuildContext = { root, definitions, profile, log };
  const ordered = [...emitters].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const byEmitter = new Map<Emitter, Definition[]>(ordered.map((e) => [e, []]));
  for (const definition of definitions) byEmitter.get(emitterFor(definition, ordered))!.push(definition);

  const artifacts: Artifact[] = [];
  const emitted = new Map<Emitter, readonly Artifact[]>();
  const failures: Diagnostic[] = [];
  for (const emitter of ordered) {
    try {
      const own = await emitter.emit(byEmitter.get(emitter)!, context);
      emitted.set(emitter, own);
      artifacts.push(...own);
    } catch (error) {
      failures.push(...toDiagnostics(error));
    }
  }
  if (failures.length > 0) throw new O11yErrors(failures);
  checkArtifacts(artifacts);
  artifacts.sort((a, b) => compareCodePoints(a.path, b.path));

  const staging = await stagingDirFor(outDir);
  try {
    await writeTree(staging, artifacts);
    const warnings: Diagnostic[] = [];
    if (options.verify !== false) {
      for (const emitter of ordered) {
        const own = emitted.get(emitter) ?? [];
        if (!emitter.verify || own.length === 0) continue;
        const found = await emitter.verify(own, staging, context);
        failures.push(...found.filter((d) => d.severity === 'error'));
        warnings.push(...found.filter((d) => d.severity !== 'error'));
      }
      if (failures.length > 0) throw new O11yErrors(failures);
    }
    const manifest: Manifest = {
      version: 1,
      profile,
      artifacts: artifacts.map((a) => ({
        path: a.path,
        kind: a.kind,
        sha256: sha256(a.content),
        source: a.source,
      })),
    };
    await writeTree(staging, [{ path: 'manifest.json', content: stableStringify(manifest) }]);
    await swapDirectory(staging, outDir);
    return { outDir, manifest, warnings };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
