import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Artifact,
  type BuildContext,
  compareCodePoints,
  type Definition,
  type Diagnostic,
  type Emitter,
  formatSource,
  kindOf,
  O11yErrors,
  stableStringify,
  toDiagnostics,
} from '@o11y/core';
import { init } from '@o11y/promql';
import type { ErrorObject } from 'ajv';
import { type CompiledDashboard, DASHBOARD_KIND, type Dashboard } from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import { checkQueries } from '../verify/queries.ts';
import { ensureSchemas, formatSchemaError, QUERY_SCHEMAS, validatorFor } from '../verify/schema.ts';
import { dashboardProvider, datasources } from './provisioning.ts';
import { checkRecordings, recordedNames } from './recordings.ts';
import { v1Resource } from './resources.ts';
import { DEFAULT_STACK, type GrafanaStack, type GrafanaStackSpec, STACK_KIND } from './stack.ts';

export const DASHBOARDS_DIR = 'grafana/dashboards';
export const ARTIFACT_KIND = {
  dashboard: 'grafana/dashboard',
  folders: 'grafana/folders',
  resource: 'grafana/resource',
  provisioning: 'grafana/provisioning',
} as const;

/** Where a dashboard's JSON goes: `grafana/dashboards/<folder path>/<uid>.json` (root folder: `general`). */
export function dashboardPath(dashboard: Dashboard): string {
  return `${DASHBOARDS_DIR}/${dashboard.folderOf?.path ?? 'general'}/${dashboard.uid}.json`;
}

function byUid(a: CompiledDashboard, b: CompiledDashboard): number {
  return compareCodePoints(a.definition.uid, b.definition.uid);
}

/** Compiles every dashboard, collecting every problem of every dashboard before failing. */
export function compileAll(definitions: readonly Definition[]): CompiledDashboard[] {
  const problems: Diagnostic[] = [];
  const compiled: CompiledDashboard[] = [];
  const seen = new Map<string, Dashboard>();
  const folders = new Map<string, Folder>();
  for (const definition of definitions) {
    if (kindOf(definition) !== DASHBOARD_KIND) continue;
    const dashboard = definition as Dashboard;
    const clash = seen.get(dashboard.uid);
    if (clash) {
      problems.push({
        severity: 'error',
        id: 'dashboards/duplicate-uid',
        message: `dashboards "${dashboard.title}" and "${clash.title}" both have uid ${dashboard.uid}`,
        source: dashboard.source,
        hint: `the other is defined at ${formatSource(clash.source)}; rename one or give it .withUid(…)`,
      });
      continue;
    }
    seen.set(dashboard.uid, dashboard);
    const folder = dashboard.folderOf;
    const otherFolder = folder && folders.get(folder.path);
    if (folder && otherFolder && otherFolder.title !== folder.title) {
      problems.push({
        severity: 'error',
        id: 'dashboards/folder-title',
        message: `folder ${folder.path} is titled "${folder.title}" here and "${otherFolder.title}" at ${formatSource(otherFolder.source)}`,
        source: folder.source,
        hint: 'define the folder once and share the object',
      });
    }
    if (folder) folders.set(folder.path, folder);
    try {
      compiled.push(dashboard.compile());
    } catch (error) {
      problems.push(...toDiagnostics(error).map((d) => ({ ...d, source: d.source ?? dashboard.source })));
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  return compiled.sort(byUid);
}

/**
 * Where the folders' uids and titles go: one file beside `grafana/dashboards/`, not a file inside it,
 * because Grafana's file provider loads every `*.json` under its path that has a title as a dashboard.
 */
export const FOLDERS_PATH = 'grafana/folders.json';

/** `grafana/folders.json` = `{ "<folder path>": { "uid", "title" } }` for every folder holding a dashboard. */
function foldersArtifact(compiled: readonly CompiledDashboard[]): Artifact | undefined {
  const folders = new Map<string, Folder>();
  for (const { definition } of compiled) {
    const folder = definition.folderOf;
    if (folder && !folders.has(folder.path)) folders.set(folder.path, folder);
  }
  const paths = [...folders.keys()].sort(compareCodePoints);
  if (paths.length === 0) return undefined;
  return {
    path: FOLDERS_PATH,
    kind: ARTIFACT_KIND.folders,
    content: stableStringify(
      Object.fromEntries(paths.map((p) => [p, { uid: folders.get(p)!.uid, title: folders.get(p)!.title }])),
    ),
    // One file for every folder: it points at the first folder's definition.
    source: folders.get(paths[0]!)!.source,
  };
}

function stackOf(definitions: readonly Definition[]): {
  spec: GrafanaStackSpec;
  source: Definition['source'];
} {
  const stacks = definitions.filter((d) => kindOf(d) === STACK_KIND) as GrafanaStack[];
  if (stacks.length > 1) {
    throw new O11yErrors(
      stacks.slice(1).map((s) => ({
        severity: 'error',
        id: 'dashboards/duplicate-stack',
        message: 'grafanaStack() is defined more than once',
        source: s.source,
        hint: `keep the one at ${formatSource(stacks[0]!.source)}`,
      })),
    );
  }
  const stack = stacks[0];
  return {
    spec: stack ?? DEFAULT_STACK,
    source: stack?.source ?? { file: 'packages/dashboards', line: 0, column: 0 },
  };
}

const compiledByArtifact = new WeakMap<Artifact, CompiledDashboard>();

/**
 * Grafana output of `o11y build`: dashboard JSON in folders by team (their uids and titles in `grafana/folders.json`),
 * optional `dashboard.grafana.app` resources, and a provisioning bundle for a stock Grafana. Runs after
 * the rules emitter: dashboards may only read recording rules the build defines.
 */
export const emitter: Emitter = {
  name: 'dashboards',
  kinds: [DASHBOARD_KIND, STACK_KIND],
  order: 20,

  async emit(definitions: readonly Definition[], context: BuildContext): Promise<readonly Artifact[]> {
    const compiled = compileAll(definitions);
    const { spec, source: stackSource } = stackOf(definitions);
    await init();
    const unknown = checkRecordings(
      compiled.map((c) => c.definition),
      recordedNames(context.definitions),
    );
    if (unknown.length > 0) throw new O11yErrors(unknown);

    const artifacts: Artifact[] = [];
    for (const dashboard of compiled) {
      const artifact: Artifact = {
        path: dashboardPath(dashboard.definition),
        kind: ARTIFACT_KIND.dashboard,
        content: stableStringify(dashboard.json),
        source: dashboard.definition.source,
      };
      compiledByArtifact.set(artifact, dashboard);
      artifacts.push(artifact);
      if (spec.resources.includes('v1')) {
        artifacts.push({
          path: `grafana/resources/dashboards/v1/${dashboard.definition.uid}.json`,
          kind: ARTIFACT_KIND.resource,
          content: v1Resource(dashboard),
          source: dashboard.definition.source,
        });
      }
    }
    const folders = foldersArtifact(compiled);
    if (folders) artifacts.push(folders);
    if (compiled.length > 0 || definitions.some((d) => kindOf(d) === STACK_KIND)) {
      artifacts.push(
        {
          path: 'grafana/provisioning/dashboards/o11y.yaml',
          kind: ARTIFACT_KIND.provisioning,
          content: dashboardProvider(spec),
          source: stackSource,
        },
        {
          path: 'grafana/provisioning/datasources/o11y.yaml',
          kind: ARTIFACT_KIND.provisioning,
          content: datasources(spec),
          source: stackSource,
        },
      );
    }
    context.log(`dashboards: ${compiled.length} dashboards`);
    return artifacts;
  },

  /** Schema-validates every written dashboard and parses every query, pointing at the TypeScript line. */
  async verify(artifacts: readonly Artifact[], dir: string): Promise<readonly Diagnostic[]> {
    await ensureSchemas();
    const validate = validatorFor('dashboard.schema.json');
    await init();
    const problems: Diagnostic[] = [];
    for (const artifact of artifacts) {
      const compiled = compiledByArtifact.get(artifact);
      if (!compiled) continue;
      const json = JSON.parse(await readFile(path.join(dir, artifact.path), 'utf8')) as unknown;
      const schemaProblem = (error: ErrorObject, against: string, prefix = '') => {
        const panelIndex = /^\/panels\/(\d+)/.exec(prefix + error.instancePath)?.[1];
        const panel = panelIndex === undefined ? undefined : compiled.panelAt[Number(panelIndex)];
        problems.push({
          severity: 'error',
          id: 'dashboards/schema',
          message: `${artifact.path} does not match ${against}: ${formatSchemaError(error, prefix)}`,
          source: panel?.source ?? compiled.definition.source,
        });
      };
      if (!validate(json)) {
        for (const error of validate.errors ?? [])
          schemaProblem(error, "the foundation SDK's dashboard schema");
      }
      const panels =
        (json as { panels?: { datasource?: { type?: string }; targets?: unknown[] }[] }).panels ?? [];
      panels.forEach((panel, panelIndex) => {
        const schema = QUERY_SCHEMAS[panel.datasource?.type ?? ''];
        if (!schema) return;
        const validateQuery = validatorFor(schema);
        (panel.targets ?? []).forEach((target, targetIndex) => {
          if (validateQuery(target)) return;
          for (const error of validateQuery.errors ?? []) {
            schemaProblem(error, schema, `/panels/${panelIndex}/targets/${targetIndex}`);
          }
        });
      });
      problems.push(...checkQueries(compiled, json));
    }
    return problems;
  },

  model(definitions: readonly Definition[]) {
    return { dashboards: compileAll(definitions).map((c) => c.model) };
  },
};
