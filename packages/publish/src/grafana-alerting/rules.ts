import {
  DIST,
  type Diagnostic,
  formatDuration,
  O11yErrors,
  parseDuration,
  type SourceLocation,
  sha256,
  stableStringify,
} from '@o11y/core';
import { parseJson } from '../built/grafana.ts';
import { type DistTree, filesUnder, sourceOf } from '../built/tree.ts';
import { readJson, readOptional } from '../grafana/api.ts';
import { grafanaError } from '../grafana/errors.ts';
import { type HttpClient, type HttpResponse, jsonOf } from '../http/client.ts';
import { mapBounded } from '../http/pool.ts';

/**
 * Grafana-managed alert rules through the alerting provisioning HTTP API.
 *
 * Provenance: every write sends `X-Disable-Provenance`, so the rules are stored without provenance and
 * stay editable in Grafana's UI (without it they would be `api`-provisioned and read-only there). An
 * on-call engineer can then silence-proof or hot-fix a rule during an incident; o11y notices the edit
 * as drift (the rule no longer matches the checksum o11y wrote into it) and refuses to overwrite it
 * until the change is brought into the code or `--force` is given. A rule that carries a provenance
 * (`file` from Grafana's file provisioning, `api` from another tool) cannot be changed by a request
 * without one — Grafana answers 403 — so o11y reports it instead of trying.
 *
 * Ownership: the annotation `o11y_checksum` on every rule o11y writes; prune deletes only rules that
 * carry it.
 */
export const CHECKSUM_ANNOTATION = 'o11y_checksum';
export const PROVENANCE_HEADER = { 'x-disable-provenance': 'true' } as const;

export const BASE = '/api/v1/provisioning';

export interface RuleJson {
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
  annotations?: Record<string, string>;
  provenance?: string;
  [field: string]: unknown;
}

export interface DesiredGroup {
  readonly folderUid: string;
  readonly title: string;
  readonly interval: number;
  readonly rules: readonly RuleJson[];
  readonly path: string;
  readonly source: SourceLocation | undefined;
}

export interface AlertingContent {
  /** uid → title of every folder the rules live in. */
  readonly folders: ReadonlyMap<string, string>;
  readonly groups: readonly DesiredGroup[];
}

/** The rule groups of a build (`grafana/alerting/rule-groups/<folder>/<group>.json`), and their folders. */
export function alertingContent(tree: DistTree): AlertingContent {
  const problems: Diagnostic[] = [];
  const read = (file: string) => parseJson(tree, file, problems);
  const folders = new Map<string, string>();
  if (tree.files.has(DIST.grafana.alerting.folders)) {
    for (const [uid, title] of Object.entries(read(DIST.grafana.alerting.folders) ?? {}))
      folders.set(uid, String(title));
  }
  const groups: DesiredGroup[] = [];
  for (const file of filesUnder(tree, `${DIST.grafana.alerting.dir}/rule-groups`, ['.json'])) {
    const json = read(file);
    if (!json) continue;
    groups.push({
      folderUid: String(json.folderUid),
      title: String(json.title),
      interval: Number(json.interval),
      rules: (json.rules ?? []) as RuleJson[],
      path: file,
      source: sourceOf(tree, file),
    });
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  return { folders, groups };
}

/** A duration as milliseconds: Grafana answers `for: 10m0s` to a rule written with `for: 10m`. */
const durationMs = (value: unknown) => (typeof value === 'string' ? parseDuration(value) : 0);

/**
 * What o11y decides about a rule, in a form both the build and Grafana's answer reduce to: the fields
 * o11y writes, durations as numbers, without the checksum itself and what Grafana adds (id, updated,
 * provenance, orgID).
 */
function decided(rule: RuleJson): unknown {
  const { [CHECKSUM_ANNOTATION]: _checksum, ...annotations } = rule.annotations ?? {};
  return {
    title: rule.title,
    folderUID: rule.folderUID,
    ruleGroup: rule.ruleGroup,
    condition: rule.condition,
    data: rule.data,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: durationMs(rule.for),
    keepFiringFor: durationMs(rule.keep_firing_for),
    labels: rule.labels ?? {},
    annotations,
    isPaused: rule.isPaused === true,
  };
}

export function ruleChecksum(rule: RuleJson): string {
  return sha256(stableStringify(decided(rule))).slice(0, 32);
}

/** The rule as o11y writes it: the build's rule, with the checksum of what it decides. */
export function withChecksum(rule: RuleJson): RuleJson {
  return { ...rule, annotations: { ...rule.annotations, [CHECKSUM_ANNOTATION]: ruleChecksum(rule) } };
}

export type RuleAction = 'create' | 'update' | 'unchanged' | 'delete' | 'keep' | 'drift' | 'foreign';

export interface RuleStep {
  readonly action: RuleAction;
  readonly uid: string;
  readonly title: string;
  readonly desired: RuleJson | undefined;
  readonly remote: RuleJson | undefined;
  readonly detail: string | undefined;
  readonly forced?: 'update' | 'delete';
  readonly source: SourceLocation | undefined;
}

export interface GroupStep {
  readonly group: DesiredGroup;
  /** Grafana's interval for the group after the rules are written, when it differs from the build's. */
  readonly from: number | undefined;
}

export interface AlertingPlan {
  readonly folders: ReadonlyArray<{ uid: string; title: string }>;
  readonly rules: readonly RuleStep[];
  readonly intervals: readonly GroupStep[];
  readonly groups: readonly DesiredGroup[];
}

export interface AlertingPlanOptions {
  readonly force: boolean;
  readonly prune: boolean;
}

const ownedBy = (rule: RuleJson) => typeof rule.annotations?.[CHECKSUM_ANNOTATION] === 'string';
const drifted = (rule: RuleJson) => rule.annotations?.[CHECKSUM_ANNOTATION] !== ruleChecksum(rule);

function provenanceDetail(remote: RuleJson): string | undefined {
  if (!remote.provenance) return undefined;
  return `is provisioned with provenance "${remote.provenance}", which Grafana lets only that source change (o11y writes with X-Disable-Provenance)`;
}

/** Compares the build's rules with Grafana's; reads only. */
export async function planAlerting(
  tree: DistTree,
  client: HttpClient,
  options: AlertingPlanOptions,
): Promise<AlertingPlan> {
  const content = alertingContent(tree);
  const remoteFolders = await mapBounded([...content.folders.keys()], 4, (uid) =>
    readOptional<{ uid: string }>(client, `/api/folders/${encodeURIComponent(uid)}`, `reading folder ${uid}`),
  );
  const folders = [...content.folders].flatMap(([uid, title], index) => {
    const result = remoteFolders[index]!;
    if (!result.ok) throw result.error;
    return result.value ? [] : [{ uid, title }];
  });
  const remote = new Map(
    (await readJson<RuleJson[]>(client, `${BASE}/alert-rules`, 'listing alert rules')).map((r) => [r.uid, r]),
  );
  const steps: RuleStep[] = [];
  const desiredUids = new Set<string>();
  for (const group of content.groups) {
    for (const rule of group.rules) {
      const desired = withChecksum(rule);
      desiredUids.add(rule.uid);
      const existing = remote.get(rule.uid);
      const base = { uid: rule.uid, title: rule.title, desired, remote: existing, source: group.source };
      if (!existing) {
        steps.push({ ...base, action: 'create', detail: `in ${group.folderUid}/${group.title}` });
        continue;
      }
      const locked = provenanceDetail(existing);
      if (!ownedBy(existing) || locked) {
        steps.push({
          ...base,
          action: 'foreign',
          detail: locked ?? 'exists in Grafana and is not managed by o11y',
        });
        continue;
      }
      if (drifted(existing)) {
        steps.push({
          ...base,
          action: options.force ? 'update' : 'drift',
          forced: 'update',
          detail: editedDetail(existing, options.force),
        });
        continue;
      }
      const unchanged =
        existing.annotations?.[CHECKSUM_ANNOTATION] === desired.annotations?.[CHECKSUM_ANNOTATION];
      steps.push({
        ...base,
        action: unchanged ? 'unchanged' : 'update',
        detail: unchanged ? undefined : 'rule changed',
      });
    }
  }
  for (const existing of remote.values()) {
    if (desiredUids.has(existing.uid) || !ownedBy(existing)) continue;
    const base = {
      uid: existing.uid,
      title: existing.title,
      desired: undefined,
      remote: existing,
      source: undefined,
    };
    if (!options.prune)
      steps.push({ ...base, action: 'keep', detail: 'no longer built; --prune deletes it' });
    else if (provenanceDetail(existing))
      steps.push({ ...base, action: 'foreign', detail: provenanceDetail(existing) });
    else if (drifted(existing))
      steps.push({
        ...base,
        action: options.force ? 'delete' : 'drift',
        forced: 'delete',
        detail: editedDetail(existing, options.force),
      });
    else steps.push({ ...base, action: 'delete', detail: 'no longer built' });
  }
  const groupsRead = await mapBounded(content.groups, 4, (group) =>
    readOptional<{ interval?: number }>(
      client,
      `${BASE}/folder/${encodeURIComponent(group.folderUid)}/rule-groups/${encodeURIComponent(group.title)}`,
      `reading rule group ${group.title}`,
    ),
  );
  const intervals: GroupStep[] = [];
  for (const [index, group] of content.groups.entries()) {
    const result = groupsRead[index]!;
    if (!result.ok) throw result.error;
    if (result.value?.interval !== group.interval) intervals.push({ group, from: result.value?.interval });
  }
  return { folders, rules: steps, intervals, groups: content.groups };
}

function editedDetail(remote: RuleJson, force: boolean): string {
  const when = typeof remote.updated === 'string' ? ` (last saved ${remote.updated})` : '';
  return `edited in Grafana since o11y wrote it${when}${force ? '; --force overwrites it' : ''}`;
}

/** Rules left alone: edited in Grafana, not o11y's, or locked by another provenance. */
export function alertingRefusals(plan: AlertingPlan): Diagnostic[] {
  return plan.rules
    .filter((s) => s.action === 'drift' || s.action === 'foreign')
    .map((s) =>
      s.action === 'drift'
        ? {
            severity: 'error',
            message: `alert rule "${s.title}" (${s.uid}) was ${s.detail}; not published. --force would ${s.forced === 'delete' ? 'delete it (the build no longer defines it)' : "overwrite that edit with the build's rule"}`,
            source: s.source,
            id: 'publish/grafana-alert-drift',
            hint: 'bring the change into the code (or undo it in Grafana), or publish with --force',
          }
        : {
            severity: 'error',
            message: `alert rule "${s.title}" (${s.uid}) ${s.detail}; not published, and --force would not change that`,
            source: s.source,
            id: 'publish/grafana-alert-foreign',
            hint: 'give the o11y rule another uid, or remove the existing one from Grafana (or from its provisioning files)',
          },
    );
}

export interface AlertingSummary {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly foldersCreated: number;
  readonly intervalsSet: number;
}

export const isOk = (response: HttpResponse) => response.status >= 200 && response.status < 300;

/** Folders first, then rules (creates and updates, then deletions), then group intervals. */
export async function applyAlerting(
  plan: AlertingPlan,
  client: HttpClient,
  concurrency: number,
): Promise<AlertingSummary> {
  const redact = (text: string) => client.redact(text);
  const problems: Diagnostic[] = [];
  const check = (response: HttpResponse, what: string, source?: SourceLocation) => {
    if (!isOk(response)) problems.push(grafanaError(what, response, redact, source).toDiagnostic());
  };
  for (const folder of plan.folders) {
    const response = await client.request('POST', '/api/folders', { body: folder });
    if (response.status !== 409) check(response, `creating folder "${folder.title}" (${folder.uid})`);
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  const writes = plan.rules.filter((s) => s.action === 'create' || s.action === 'update');
  const written = await mapBounded(writes, concurrency, (step) =>
    step.action === 'create'
      ? client.request('POST', `${BASE}/alert-rules`, { body: step.desired, headers: PROVENANCE_HEADER })
      : client.request('PUT', `${BASE}/alert-rules/${encodeURIComponent(step.uid)}`, {
          body: step.desired,
          headers: PROVENANCE_HEADER,
        }),
  );
  for (const [index, result] of written.entries()) {
    const step = writes[index]!;
    if (!result.ok) throw result.error;
    check(
      result.value,
      `${step.action === 'create' ? 'creating' : 'updating'} alert rule "${step.title}" (${step.uid})`,
      step.source,
    );
  }
  const deletes = plan.rules.filter((s) => s.action === 'delete');
  for (const step of deletes) {
    const response = await client.request('DELETE', `${BASE}/alert-rules/${encodeURIComponent(step.uid)}`, {
      headers: PROVENANCE_HEADER,
    });
    check(response, `deleting alert rule "${step.title}" (${step.uid})`);
  }
  for (const { group } of plan.intervals) {
    const path = `${BASE}/folder/${encodeURIComponent(group.folderUid)}/rule-groups/${encodeURIComponent(group.title)}`;
    const current = jsonOf(await client.request('GET', path)) as { rules?: RuleJson[] } | undefined;
    const response = await client.request('PUT', path, {
      body: {
        title: group.title,
        folderUid: group.folderUid,
        interval: group.interval,
        rules: current?.rules ?? [],
      },
      headers: PROVENANCE_HEADER,
    });
    check(
      response,
      `setting the interval of rule group ${group.title} to ${formatDuration(group.interval * 1000)}`,
      group.source,
    );
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  return {
    created: writes.filter((s) => s.action === 'create').length,
    updated: writes.filter((s) => s.action === 'update').length,
    deleted: deletes.length,
    unchanged: plan.rules.filter((s) => s.action === 'unchanged').length,
    foldersCreated: plan.folders.length,
    intervalsSet: plan.intervals.length,
  };
}

/** After a publish: every rule written holds the build's rule, every rule deleted is gone. */
export async function verifyAlerting(plan: AlertingPlan, client: HttpClient): Promise<void> {
  const remote = new Map(
    (await readJson<RuleJson[]>(client, `${BASE}/alert-rules`, 'listing alert rules')).map((r) => [r.uid, r]),
  );
  const problems: Diagnostic[] = [];
  for (const step of plan.rules) {
    const now = remote.get(step.uid);
    const wrong =
      step.action === 'delete'
        ? now !== undefined && 'still exists'
        : (step.action === 'create' || step.action === 'update') &&
          (now === undefined || drifted(now) || ruleChecksum(now) !== ruleChecksum(step.desired!)) &&
          'does not hold the published rule';
    if (wrong) {
      problems.push({
        severity: 'error',
        message: `alert rule "${step.title}" (${step.uid}) ${wrong} after the publish`,
        source: step.source,
        id: 'publish/grafana-alert-verify',
        hint: 'someone or something changed it during the publish; run the publish again',
      });
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
}

/** The plan as lines for the terminal: one per rule, folder or interval that changes. */
export function formatAlertingPlan(plan: AlertingPlan): string[] {
  const lines = ['Grafana-managed alerting'];
  for (const folder of plan.folders) lines.push(`  create    folder    ${folder.title} (${folder.uid})`);
  for (const step of plan.rules) {
    if (step.action === 'unchanged') continue;
    lines.push(
      `  ${step.action.padEnd(9)} rule      "${step.title}" (${step.uid})${step.detail ? `: ${step.detail}` : ''}`,
    );
  }
  for (const { group, from } of plan.intervals) {
    if (from !== undefined)
      lines.push(
        `  update    group     ${group.title}: interval ${formatDuration(from * 1000)} → ${formatDuration(group.interval * 1000)}`,
      );
  }
  const count = (action: RuleAction) => plan.rules.filter((s) => s.action === action).length;
  lines.push(
    `  ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged, ${count('delete')} to delete` +
      (count('keep') ? `, ${count('keep')} no longer built (kept)` : '') +
      (count('drift') ? `, ${count('drift')} drifted` : '') +
      (count('foreign') ? `, ${count('foreign')} not owned or locked` : ''),
  );
  return lines;
}
