import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as v2 from '@grafana/grafana-foundation-sdk/dashboardv2beta1';
import {
  type Artifact,
  type BuildContext,
  compareCodePoints,
  type Definition,
  DIST,
  type Diagnostic,
  type Emitter,
  formatSource,
  kindOf,
  O11yErrors,
  type SourceLocation,
  stableStringify,
  toDiagnostics,
  type WrittenArtifact,
} from '@o11y/core';
import type { ErrorObject } from 'ajv';
import {
  type CompiledDashboard,
  DASHBOARD_KIND,
  type Dashboard,
  type DashboardOrigins,
  originsOf,
  type PanelOrigin,
} from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import { checkLogQuery, checkPromQueries, checkQueries, PromQuery } from '../verify/queries.ts';
import { ensureSchemas, formatSchemaError, QUERY_SCHEMAS, validatorFor } from '../verify/schema.ts';
import { dashboardProvider, datasources } from './provisioning.ts';
import { v1Resource, v2beta1Resource } from './resources.ts';
import { type GrafanaStack, STACK_DEFAULTS, STACK_KIND } from './stack.ts';

export const ARTIFACT_KIND = {
  dashboard: 'grafana/dashboard',
  folders: 'grafana/folders',
  resource: 'grafana/resource',
  provisioning: 'grafana/provisioning',
} as const;

/** Where a dashboard's JSON goes: `grafana/dashboards/<folder path>/<uid>.json` (root folder: `general`). */
export function dashboardPath(dashboard: Dashboard): string {
  return DIST.grafana.dashboard(dashboard.folderOf?.path, dashboard.uid);
}

function byUid(a: CompiledDashboard, b: CompiledDashboard): number {
  return compareCodePoints(a.definition.uid, b.definition.uid);
}

/**
 * Completes every dashboard from the build (`fromBuild`) and compiles it, collecting every problem of
 * every dashboard before failing. `build` is everything the build collected; by default the dashboards.
 */
export function compileAll(
  definitions: readonly Definition[],
  build: readonly Definition[] = definitions,
): CompiledDashboard[] {
  const problems: Diagnostic[] = [];
  const compiled: CompiledDashboard[] = [];
  const seen = new Map<string, Dashboard>();
  const titles = new Map<string, Dashboard>();
  const folders = new Map<string, Folder>();
  for (const definition of definitions) {
    if (kindOf(definition) !== DASHBOARD_KIND) continue;
    let dashboard: Dashboard;
    try {
      dashboard = (definition as Dashboard).completedBy(build);
    } catch (error) {
      problems.push(...toDiagnostics(error));
      continue;
    }
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
    // Grafana refuses a second dashboard of the same title (in any letter case) in one folder.
    const titleKey = `${folder?.path ?? ''}\u0000${dashboard.title.toLowerCase()}`;
    const sameTitle = titles.get(titleKey);
    if (sameTitle) {
      problems.push({
        severity: 'error',
        id: 'dashboards/duplicate-title',
        message: `dashboards ${dashboard.uid} and ${sameTitle.uid} are both titled "${dashboard.title}" in folder ${folder?.path ?? 'General'}, which Grafana rejects`,
        source: dashboard.source,
        hint: `the other is defined at ${formatSource(sameTitle.source)}; retitle one or move it to another folder`,
      });
    }
    titles.set(titleKey, dashboard);
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
    path: DIST.grafana.folders,
    kind: ARTIFACT_KIND.folders,
    content: stableStringify(
      Object.fromEntries(paths.map((p) => [p, { uid: folders.get(p)!.uid, title: folders.get(p)!.title }])),
    ),
    // One file for every folder: it points at the first folder's definition.
    source: folders.get(paths[0]!)!.source,
  };
}

function stackOf(definitions: readonly Definition[]): GrafanaStack | undefined {
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
  return stacks[0];
}

/**
 * The dashboards `model()` compiled, for `emit()` of the same build to take instead of compiling them
 * again (compiling is most of the emitter's work, and the model comes first). Keyed by the build's
 * context, so nothing outlives the build; `o11y lint`, which only models, leaves its entry to the GC.
 */
const compiledInBuild = new WeakMap<
  BuildContext,
  { readonly definitions: readonly Definition[]; readonly compiled: CompiledDashboard[] }
>();

function compiledFor(definitions: readonly Definition[], context: BuildContext): CompiledDashboard[] {
  const cached = compiledInBuild.get(context);
  compiledInBuild.delete(context);
  const same =
    cached?.definitions.length === definitions.length &&
    cached.definitions.every((definition, index) => definition === definitions[index]);
  return same ? cached.compiled : compileAll(definitions, context.definitions);
}

/** What verify needs of a written dashboard or v2 resource: not its JSON tree, which is written. */
type VerifyInput =
  | { readonly origins: DashboardOrigins }
  | { readonly origins: DashboardOrigins; readonly panelOf: ReadonlyMap<string, PanelOrigin> };

/** Each build's verify inputs by artifact path, from `emit()` to `verify()` with the same context. */
const verifyInputs = new WeakMap<BuildContext, Map<string, VerifyInput>>();

/**
 * Grafana output of `o11y build`: dashboard JSON in folders by team (their uids and titles in `grafana/folders.json`),
 * optional `dashboard.grafana.app` resources, and a provisioning bundle for a stock Grafana. Whether a
 * query reads a series no recording rule of the build records is lint's `dashboard/missing-recording-rule`.
 */
export const emitter: Emitter<Generator<Artifact>> = {
  name: 'dashboards',
  kinds: [DASHBOARD_KIND, STACK_KIND],

  *emit(definitions: readonly Definition[], context: BuildContext): Generator<Artifact> {
    const compiled = compiledFor(definitions, context);
    const stack = stackOf(definitions);
    const resources: readonly string[] = stack?.resources ?? STACK_DEFAULTS.resources;

    const problems: Diagnostic[] = [];
    const inputs = new Map<string, VerifyInput>();
    verifyInputs.set(context, inputs);
    for (const dashboard of compiled) {
      const { origins, origin } = originsOf(dashboard);
      const artifact: Artifact = {
        path: dashboardPath(dashboard.definition),
        kind: ARTIFACT_KIND.dashboard,
        content: stableStringify(dashboard.json),
        source: dashboard.definition.source,
      };
      inputs.set(artifact.path, { origins });
      yield artifact;
      if (resources.includes('v1')) {
        yield {
          path: DIST.grafana.resource('v1', dashboard.definition.uid),
          kind: ARTIFACT_KIND.resource,
          content: v1Resource(dashboard),
          source: dashboard.definition.source,
        };
      }
      if (resources.includes('v2beta1')) {
        let resource: ReturnType<typeof v2beta1Resource>;
        try {
          resource = v2beta1Resource(dashboard);
        } catch (error) {
          problems.push(...toDiagnostics(error));
          continue;
        }
        const resourcePath = DIST.grafana.resource('v2beta1', dashboard.definition.uid);
        const panelOf = new Map(
          [...resource.converted.panelOf].map(([name, panel]) => [name, origin(panel)]),
        );
        inputs.set(resourcePath, { origins, panelOf });
        yield {
          path: resourcePath,
          kind: ARTIFACT_KIND.resource,
          content: resource.content,
          source: dashboard.definition.source,
        };
      }
    }
    if (problems.length > 0) throw new O11yErrors(problems);
    const folders = foldersArtifact(compiled);
    if (folders) yield folders;
    const stackSource = stack?.source ?? { file: 'packages/dashboards', line: 0, column: 0 };
    if (compiled.length > 0 || stack) {
      yield {
        path: DIST.grafana.provisioning.dashboards,
        kind: ARTIFACT_KIND.provisioning,
        content: dashboardProvider(stack?.dashboardsPath ?? STACK_DEFAULTS.dashboardsPath),
        source: stackSource,
      };
    }
    // Datasources need the backends' URLs, which only the organisation's grafanaStack() knows.
    if (stack) {
      yield {
        path: DIST.grafana.provisioning.datasources,
        kind: ARTIFACT_KIND.provisioning,
        content: datasources(stack),
        source: stack.source,
      };
    }
    context.log(`dashboards: ${compiled.length} dashboards`);
  },

  /**
   * Schema-validates every written dashboard and v2 resource and parses every query, pointing at the
   * TypeScript line of the panel or query.
   */
  async verify(
    artifacts: readonly WrittenArtifact[],
    dir: string,
    context: BuildContext,
  ): Promise<readonly Diagnostic[]> {
    await ensureSchemas();
    const inputs = verifyInputs.get(context);
    // A defect of the caller, not of the organisation: nothing would be checked.
    if (!inputs) throw new Error('dashboards verify(): emit() did not run with this build context');
    const problems: (Diagnostic | PromQuery)[] = [];
    for (const artifact of artifacts) {
      const input = inputs.get(artifact.path);
      if (!input) continue;
      // Read whole, at once: fs/promises reads a file in turns of the event loop. A 1,000-service build's
      // 2,008 dashboards took 1.3 s of CPU to read and parse that way, 0.4–0.6 s this way.
      const json = JSON.parse(readFileSync(path.join(dir, artifact.path), 'utf8')) as unknown;
      if ('panelOf' in input) problems.push(...verifyV2(artifact, input.origins, input.panelOf, json));
      else
        problems.push(...verifyClassic(artifact, input.origins, json), ...checkQueries(input.origins, json));
    }
    return checkPromQueries(problems);
  },

  model(definitions: readonly Definition[], context: BuildContext) {
    const compiled = compileAll(definitions, context.definitions);
    compiledInBuild.set(context, { definitions, compiled });
    return { dashboards: compiled.map((c) => c.model) };
  },
};

/** A schema error of a written file, at the TypeScript line of what it concerns. */
function schemaProblem(
  artifact: WrittenArtifact,
  error: ErrorObject,
  against: string,
  source: SourceLocation,
  prefix = '',
): Diagnostic {
  return {
    severity: 'error',
    id: 'dashboards/schema',
    message: `${artifact.path} does not match ${against}: ${formatSchemaError(error, prefix)}`,
    source,
  };
}

function verifyClassic(artifact: WrittenArtifact, origins: DashboardOrigins, json: unknown): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const panelSource = (instancePath: string) => {
    const panelIndex = /^\/panels\/(\d+)/.exec(instancePath)?.[1];
    const panel = panelIndex === undefined ? undefined : origins.panelAt[Number(panelIndex)];
    return panel?.source ?? origins.source;
  };
  // Raw JSON given through verbatim() is outside what the SDK's schema describes, on purpose.
  const verbatim = (instancePath: string) =>
    origins.verbatimPaths.some(
      (p) => instancePath === p || instancePath.startsWith(`${p}/`) || p.startsWith(`${instancePath}/`),
    );
  const validate = validatorFor('dashboard.schema.json');
  if (!validate(json)) {
    for (const error of validate.errors ?? []) {
      if (verbatim(error.instancePath)) continue;
      problems.push(
        schemaProblem(
          artifact,
          error,
          "the foundation SDK's dashboard schema",
          panelSource(error.instancePath),
        ),
      );
    }
  }
  const panels =
    (json as { panels?: { datasource?: { type?: string }; targets?: unknown[] }[] }).panels ?? [];
  panels.forEach((panel, panelIndex) => {
    (panel.targets ?? []).forEach((target, targetIndex) => {
      const prefix = `/panels/${panelIndex}/targets/${targetIndex}`;
      if (verbatim(prefix)) return;
      problems.push(...queryProblems(artifact, panel.datasource?.type, target, prefix, panelSource(prefix)));
    });
  });
  return problems;
}

/** A target checked against the schema of its datasource's query type (none known: not checked). */
function queryProblems(
  artifact: WrittenArtifact,
  datasourceType: string | undefined,
  query: unknown,
  prefix: string,
  source: SourceLocation,
): Diagnostic[] {
  const schema = QUERY_SCHEMAS[datasourceType ?? ''];
  if (!schema) return [];
  const validate = validatorFor(schema);
  if (validate(query)) return [];
  return (validate.errors ?? []).map((error) => schemaProblem(artifact, error, schema, source, prefix));
}

/**
 * A v2 resource against the schema generated from the SDK's dashboardv2beta1 types, each query against
 * its datasource's query schema. Elements are named, not indexed: `/spec/elements/panel-3/…/queries/1`
 * leads to the panel builder and its second query.
 */
function verifyV2(
  artifact: WrittenArtifact,
  origins: DashboardOrigins,
  panelOf: ReadonlyMap<string, PanelOrigin>,
  json: unknown,
): (Diagnostic | PromQuery)[] {
  const problems: (Diagnostic | PromQuery)[] = [];
  const sourceAt = (instancePath: string) => {
    const [, element, query] =
      /^\/spec\/elements\/([^/]+)(?:\/spec\/data\/spec\/queries\/(\d+))?/.exec(instancePath) ?? [];
    const panel = element === undefined ? undefined : panelOf.get(element);
    return (
      (query === undefined ? undefined : panel?.queries[Number(query)]?.source) ??
      panel?.source ??
      origins.source
    );
  };
  const against = "the foundation SDK's dashboardv2beta1 schema";
  const validate = validatorFor('dashboardv2beta1.schema.json');
  const spec = (json as { spec?: unknown }).spec;
  if (!validate(spec)) {
    for (const error of validate.errors ?? []) {
      problems.push(schemaProblem(artifact, error, against, sourceAt(`/spec${error.instancePath}`), '/spec'));
    }
  }
  const { elements = {}, variables = [] } = (spec ?? {}) as Partial<v2.Dashboard>;
  const variableNames = variables.map((v) => v.spec.name);
  for (const [name, element] of Object.entries(elements) as [string, v2.PanelKind][]) {
    const panel = panelOf.get(name);
    (element.spec?.data?.spec?.queries ?? []).forEach((panelQuery, index) => {
      const target = { ...panelQuery.spec.query.spec, refId: panelQuery.spec.refId };
      if (panel && panelQuery.spec.query.group === 'prometheus' && target.expr !== undefined)
        problems.push(new PromQuery(panel, index, { ...target, expr: target.expr }, variableNames));
      if (panel && panelQuery.spec.query.group === 'loki')
        problems.push(...checkLogQuery(panel, index, target));
      const prefix = `/spec/elements/${name}/spec/data/spec/queries/${index}/spec/query/spec`;
      const { group, spec: query } = panelQuery.spec.query;
      problems.push(
        ...queryProblems(
          artifact,
          group,
          { ...query, refId: panelQuery.spec.refId },
          prefix,
          sourceAt(prefix),
        ),
      );
    });
  }
  return problems;
}
