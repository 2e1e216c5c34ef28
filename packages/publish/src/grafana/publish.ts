import { type Diagnostic, O11yError, O11yErrors, type SourceLocation } from '@o11y/core';
import { type DashboardSpec, type FolderSpec, grafanaContent } from '../built/grafana.ts';
import type { DistTree } from '../built/tree.ts';
import type { HttpResponse } from '../http/client.ts';
import { mapBounded } from '../http/pool.ts';
import {
  type GrafanaApi,
  type LastChange,
  lastChange,
  type RemoteDashboard,
  type RemoteFolder,
} from './api.ts';
import { grafanaError, grafanaMessage } from './errors.ts';
import { contentChecksum, markerFromTags } from './ownership.ts';

export type Action = 'create' | 'update' | 'unchanged' | 'delete' | 'keep' | 'drift' | 'foreign';

export interface FolderStep {
  readonly action: Extract<Action, 'create' | 'update' | 'unchanged'>;
  readonly folder: FolderSpec;
  readonly remote: RemoteFolder | undefined;
  readonly detail: string | undefined;
}

export interface DashboardStep {
  readonly action: Action;
  readonly uid: string;
  readonly title: string;
  readonly desired: DashboardSpec | undefined;
  readonly remote: RemoteDashboard | undefined;
  readonly checksum: string | undefined;
  readonly detail: string | undefined;
  /** Who last changed it in Grafana, for drift. */
  readonly change: LastChange | undefined;
  /** For drift: what `--force` would do to it. */
  readonly forced?: 'update' | 'delete';
}

export interface GrafanaPlan {
  readonly grafanaVersion: string;
  readonly api: string;
  readonly folders: readonly FolderStep[];
  readonly dashboards: readonly DashboardStep[];
}

export interface PlanOptions {
  readonly force: boolean;
  readonly prune: boolean;
  readonly concurrency: number;
}

export interface ApplyOptions {
  readonly concurrency: number;
  readonly force: boolean;
  /** The version-history message (carries the git commit); the artifact path is appended. */
  readonly message: string;
}

export interface PublishSummary {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly foldersWritten: number;
  readonly retries: number;
}

const MESSAGE_LIMIT = 500;

function describeFolderPath(folders: ReadonlyMap<string, FolderSpec>, uid: string | undefined): string {
  const names: string[] = [];
  let current = uid;
  while (current !== undefined) {
    const folder = folders.get(current);
    if (!folder) return current;
    names.unshift(folder.title);
    current = folder.parentUid;
  }
  return names.length === 0 ? 'General' : names.join('/');
}

/** Compare the build with what Grafana holds; reads only. */
export async function planGrafana(
  tree: DistTree,
  api: GrafanaApi,
  grafanaVersion: string,
  options: PlanOptions,
): Promise<GrafanaPlan> {
  const content = grafanaContent(tree);
  const remoteFolders = new Map((await api.listFolders()).map((f) => [f.uid, f]));
  const folders: FolderStep[] = content.folders.map((folder) => {
    const remote = remoteFolders.get(folder.uid);
    if (!remote) return { action: 'create', folder, remote, detail: undefined };
    const changes = [
      remote.title !== folder.title && `title "${remote.title}" → "${folder.title}"`,
      remote.parentUid !== folder.parentUid &&
        `parent ${remote.parentUid ?? 'General'} → ${folder.parentUid ?? 'General'}`,
    ].filter(Boolean);
    return changes.length > 0
      ? { action: 'update', folder, remote, detail: changes.join(', ') }
      : { action: 'unchanged', folder, remote, detail: undefined };
  });
  const folderSpecs = new Map(content.folders.map((f) => [f.uid, f]));
  const remoteFolderSpecs = new Map(
    [...remoteFolders.values()].map((f) => [
      f.uid,
      { ...f, path: f.uid, source: undefined } satisfies FolderSpec,
    ]),
  );
  const remoteFolderName = (uid: string | undefined) => describeFolderPath(remoteFolderSpecs, uid);

  const read = await mapBounded(content.dashboards, options.concurrency, (d) => api.getDashboard(d.uid));
  const failures = read.filter((r) => !r.ok);
  if (failures.length > 0) throw (failures[0] as { error: unknown }).error;
  const steps: DashboardStep[] = [];
  for (const [index, desired] of content.dashboards.entries()) {
    const remote = (read[index] as { value: RemoteDashboard | undefined }).value;
    const checksum = contentChecksum(desired.json);
    const base = { uid: desired.uid, title: desired.title, desired, remote, checksum, change: undefined };
    if (!remote) {
      steps.push({
        ...base,
        action: 'create',
        detail: `in ${describeFolderPath(folderSpecs, desired.folderUid)}`,
      });
      continue;
    }
    if (!remote.marker.owned) {
      steps.push({ ...base, action: 'foreign', detail: 'exists in Grafana and is not managed by o11y' });
      continue;
    }
    if (isDrifted(remote)) {
      steps.push({ ...base, ...(await driftStep(api, remote, 'update', options.force)) });
      continue;
    }
    const moved = remote.folderUid !== desired.folderUid;
    const changed = remote.marker.checksum !== checksum;
    // Published through /apis before it wrote the tags too: without them `--api classic` sees a stranger.
    const untagged = api.kind === 'apis' && !markerFromTags(remote.content).owned;
    if (!moved && !changed && !untagged) {
      steps.push({ ...base, action: 'unchanged', detail: undefined });
      continue;
    }
    const details = [
      changed && 'content changed',
      untagged && !changed && 'adds the ownership tags the classic /api reads',
      moved &&
        `moved ${remoteFolderName(remote.folderUid)} → ${describeFolderPath(folderSpecs, desired.folderUid)}`,
    ].filter(Boolean);
    steps.push({ ...base, action: 'update', detail: details.join(', ') });
  }
  const desiredUids = new Set(content.dashboards.map((d) => d.uid));
  const orphans = (await api.listOwnedDashboards()).filter((o) => !desiredUids.has(o.uid));
  const orphanReads = await mapBounded(orphans, options.concurrency, (o) => api.getDashboard(o.uid));
  for (const [index, orphan] of orphans.entries()) {
    const result = orphanReads[index]!;
    if (!result.ok) throw result.error;
    const remote = result.value;
    if (!remote) continue;
    const base = { uid: orphan.uid, title: orphan.title, desired: undefined, remote, checksum: undefined };
    if (!options.prune) {
      steps.push({
        ...base,
        change: undefined,
        action: 'keep',
        detail: 'no longer built; --prune deletes it',
      });
      continue;
    }
    if (isDrifted(remote)) {
      steps.push({ ...base, ...(await driftStep(api, remote, 'delete', options.force)) });
      continue;
    }
    steps.push({ ...base, change: undefined, action: 'delete', detail: 'no longer built' });
  }
  return { grafanaVersion, api: api.label, folders, dashboards: steps };
}

/** Edited in Grafana since o11y wrote it: the content no longer matches its own recorded checksum. */
function isDrifted(remote: RemoteDashboard): boolean {
  return remote.marker.checksum !== contentChecksum(remote.content);
}

/** A dashboard edited in Grafana: `forced` is what o11y would do to it, and does with `--force`. */
async function driftStep(
  api: GrafanaApi,
  remote: RemoteDashboard,
  forced: 'update' | 'delete',
  force: boolean,
) {
  const change = await lastChange(api.client, remote.uid, remote);
  return {
    change,
    action: force ? forced : ('drift' as const),
    forced,
    detail: describeChange(change, force),
  };
}

function describeChange(change: LastChange, forced: boolean): string {
  const who = change.who ? ` by ${change.who}` : '';
  const when = change.when ? ` at ${change.when}` : '';
  const version =
    change.version !== undefined
      ? ` (version ${change.version}${change.message ? `: "${change.message}"` : ''})`
      : '';
  return `edited in Grafana${who}${when}${version}${forced ? '; --force overwrites it' : ''}`;
}

/**
 * The dashboards a publish leaves alone, each saying what `--force` would do to it. The rest of the
 * plan is still applied: one edited dashboard does not hold back every other update.
 */
export function planRefusals(plan: GrafanaPlan): Diagnostic[] {
  return plan.dashboards
    .filter((s) => s.action === 'drift' || s.action === 'foreign')
    .map((s) =>
      s.action === 'drift'
        ? {
            severity: 'error',
            message: `dashboard "${s.title}" (${s.uid}) was ${s.detail}; not published. --force would ${
              s.forced === 'delete'
                ? 'delete it (the build no longer defines it)'
                : `overwrite that edit with the build's dashboard${s.desired ? ` (dist/${s.desired.path})` : ''}`
            }`,
            source: s.desired?.source,
            id: 'publish/grafana-drift',
            hint: 'bring the change into the code (or discard it in Grafana), or publish with --force',
          }
        : {
            severity: 'error',
            message: `dashboard "${s.title}" (${s.uid}) ${s.detail}; not published, and --force would not change that: o11y never touches dashboards it does not own`,
            source: s.desired?.source,
            id: 'publish/grafana-foreign',
            hint: 'give the o11y dashboard another uid, or delete the existing one in Grafana if it should be replaced',
          },
    );
}

function versionMessage(base: string, path: string): string {
  const message = `${base} (dist/${path})`;
  return message.length <= MESSAGE_LIMIT ? message : message.slice(0, MESSAGE_LIMIT);
}

/**
 * Carry out a plan: folders level by level (parents first), then dashboards, then deletions, each
 * with bounded concurrency; refused dashboards (`planRefusals`) are skipped. Failures are collected
 * and reported together.
 */
export async function applyGrafanaPlan(
  plan: GrafanaPlan,
  api: GrafanaApi,
  options: ApplyOptions,
): Promise<PublishSummary> {
  const redact = (text: string) => api.client.redact(text);
  const problems: Diagnostic[] = [];
  const collect = (settled: Array<{ ok: boolean; error?: unknown }>) => {
    for (const s of settled) {
      if (!s.ok) problems.push(...toProblems(s.error));
    }
  };
  const folderWrites = plan.folders.filter((s) => s.action !== 'unchanged');
  const depthOf = (step: FolderStep) => step.folder.path.split('/').length;
  const depths = [...new Set(folderWrites.map(depthOf))].sort((a, b) => a - b);
  for (const depth of depths) {
    const level = folderWrites.filter((s) => depthOf(s) === depth);
    collect(await mapBounded(level, options.concurrency, (step) => writeFolder(api, step, redact)));
    // Children cannot be created under a parent that failed.
    if (problems.length > 0) throw new O11yErrors(problems);
  }
  const saves = plan.dashboards.filter((s) => s.action === 'create' || s.action === 'update');
  collect(
    await mapBounded(saves, options.concurrency, (step) =>
      writeDashboard(api, step, versionMessage(options.message, step.desired!.path), options.force, redact),
    ),
  );
  const deletes = plan.dashboards.filter((s) => s.action === 'delete');
  collect(await mapBounded(deletes, options.concurrency, (step) => deleteDashboard(api, step, redact)));
  if (problems.length > 0) throw new O11yErrors(problems);
  return {
    created: saves.filter((s) => s.action === 'create').length,
    updated: saves.filter((s) => s.action === 'update').length,
    deleted: deletes.length,
    unchanged: plan.dashboards.filter((s) => s.action === 'unchanged').length,
    foldersWritten: folderWrites.length,
    retries: api.client.retries,
  };
}

function toProblems(error: unknown): Diagnostic[] {
  if (error instanceof O11yErrors) return [...error.diagnostics];
  if (error instanceof O11yError) return [error.toDiagnostic()];
  return [{ severity: 'error', message: String((error as Error)?.message ?? error) }];
}

const isOk = (response: HttpResponse) => response.status >= 200 && response.status < 300;

/**
 * A write that failed with a conflict may have been applied by an earlier attempt whose answer was
 * lost (a 502 after the write). Read back: if Grafana already holds what we meant to write, it is done.
 */
function mayHaveLanded(response: HttpResponse): boolean {
  if (response.attempts <= 1) return false;
  if (response.status === 409 || response.status === 412) return true;
  return response.status === 400 && /already exists/i.test(grafanaMessage(response));
}

async function writeFolder(api: GrafanaApi, step: FolderStep, redact: (t: string) => string): Promise<void> {
  const { folder } = step;
  const response = step.remote ? await api.updateFolder(folder, step.remote) : await api.createFolder(folder);
  if (isOk(response)) return;
  // 409 on create: the folder exists (created by a lost earlier attempt, or concurrently).
  if (response.status === 409 || mayHaveLanded(response)) {
    const now = await api.getFolder(folder.uid);
    if (now && now.title === folder.title && now.parentUid === folder.parentUid) return;
  }
  throw grafanaError(
    `${step.remote ? 'updating' : 'creating'} folder "${folder.title}" (${folder.uid})`,
    response,
    redact,
    folder.source,
  );
}

async function writeDashboard(
  api: GrafanaApi,
  step: DashboardStep,
  message: string,
  force: boolean,
  redact: (t: string) => string,
): Promise<void> {
  const desired = step.desired!;
  const response = await api.saveDashboard({
    dashboard: desired,
    checksum: step.checksum!,
    message,
    remote: step.remote,
    force,
  });
  if (isOk(response)) return;
  if (mayHaveLanded(response) && (await holdsDesired(api, desired, step.checksum!))) return;
  throw grafanaError(
    `${step.action === 'create' ? 'creating' : 'updating'} dashboard "${desired.title}" (${desired.uid})`,
    response,
    redact,
    desired.source as SourceLocation | undefined,
  );
}

async function holdsDesired(api: GrafanaApi, desired: DashboardSpec, checksum: string): Promise<boolean> {
  const now = await api.getDashboard(desired.uid);
  return (
    now?.marker.owned === true &&
    now.marker.checksum === checksum &&
    contentChecksum(now.content) === checksum &&
    now.folderUid === desired.folderUid
  );
}

async function deleteDashboard(
  api: GrafanaApi,
  step: DashboardStep,
  redact: (t: string) => string,
): Promise<void> {
  const response = await api.deleteDashboard(step.uid);
  if (isOk(response)) return;
  // Already gone: an earlier attempt deleted it and its answer was lost.
  if (response.status === 404 && response.attempts > 1) return;
  throw grafanaError(`deleting dashboard "${step.title}" (${step.uid})`, response, redact);
}

/**
 * After a publish: every dashboard the plan created or updated holds the build's content in its
 * folder, every one it deleted is gone. Throws the dashboards that do not.
 */
export async function verifyGrafanaPlan(
  plan: GrafanaPlan,
  api: GrafanaApi,
  concurrency: number,
): Promise<void> {
  const written = plan.dashboards.filter((s) => s.action === 'create' || s.action === 'update');
  const deleted = plan.dashboards.filter((s) => s.action === 'delete');
  const held = await mapBounded(written, concurrency, (s) => holdsDesired(api, s.desired!, s.checksum!));
  const gone = await mapBounded(
    deleted,
    concurrency,
    async (s) => (await api.getDashboard(s.uid)) === undefined,
  );
  const problems: Diagnostic[] = [];
  const check = (steps: readonly DashboardStep[], results: typeof held, what: string) => {
    for (const [index, result] of results.entries()) {
      if (!result.ok) problems.push(...toProblems(result.error));
      else if (!result.value) {
        const step = steps[index]!;
        problems.push({
          severity: 'error',
          message: `dashboard "${step.title}" (${step.uid}) ${what} after the publish`,
          source: step.desired?.source,
          id: 'publish/grafana-verify',
          hint: 'someone or something changed it during the publish; run the publish again',
        });
      }
    }
  };
  check(written, held, 'does not hold the published content');
  check(deleted, gone, 'still exists');
  if (problems.length > 0) throw new O11yErrors(problems);
}

/** The plan as lines for the terminal: one per dashboard or folder that is not unchanged. */
export function formatGrafanaPlan(plan: GrafanaPlan): string[] {
  const lines = [`Grafana ${plan.grafanaVersion} via ${plan.api}`];
  for (const step of plan.folders) {
    if (step.action === 'unchanged') continue;
    lines.push(
      `  ${step.action.padEnd(9)} folder    ${step.folder.path} (${step.folder.uid})${step.detail ? `: ${step.detail}` : ''}`,
    );
  }
  for (const step of plan.dashboards) {
    if (step.action === 'unchanged') continue;
    lines.push(
      `  ${step.action.padEnd(9)} dashboard "${step.title}" (${step.uid})${step.detail ? `: ${step.detail}` : ''}`,
    );
  }
  const count = (action: Action) => plan.dashboards.filter((s) => s.action === action).length;
  lines.push(
    `  ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged, ${count('delete')} to delete` +
      (count('keep') ? `, ${count('keep')} no longer built (kept)` : '') +
      (count('drift') ? `, ${count('drift')} drifted` : '') +
      (count('foreign') ? `, ${count('foreign')} not owned` : ''),
  );
  return lines;
}
