import { readFileSync } from 'node:fs';
import {
  DIST,
  type Diagnostic,
  O11yError,
  O11yErrors,
  type SourceLocation,
  sha256,
  stableStringify,
} from '@o11y/core';
import { parseJson, parseJsonList } from '../built/grafana.ts';
import { type DistTree, sourceOf } from '../built/tree.ts';
import { readJson, readOptional } from '../grafana/api.ts';
import { grafanaError } from '../grafana/errors.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { BASE, isOk, PROVENANCE_HEADER, type RuleAction } from './rules.ts';

/**
 * Contact points, the notification policy tree and mute timings through the alerting provisioning
 * HTTP API, written with `X-Disable-Provenance` like the rules (editable in the UI, and so editable
 * behind o11y's back).
 *
 * Ownership and drift: these objects have no annotations to carry a checksum, so o11y keeps what it
 * last published in Grafana itself, in the notification template `o11y-published-state` (a Go-template
 * comment, so it renders nothing): per contact point (by uid), mute timing (by name) and for the one
 * policy tree, the digest of the build it wrote and the digest of Grafana's answer when read back.
 * Stored in Grafana, the state follows every CI runner and laptop that publishes. An object is o11y's
 * when the state names it; prune deletes only those. It has drifted when Grafana's answer no longer has
 * the digest read back after the last publish; o11y then refuses to write it without --force. The policy
 * tree is replaced whole: without a state it is taken over only while it is still Grafana's default
 * tree (receiver `grafana-default-email`, no child policies); any other tree needs --force.
 *
 * Secrets: the build holds `$__env{VAR}` / `$__file{path}` references, which Grafana expands only in
 * provisioning files, not in API requests. o11y resolves them where it publishes (the variable or the
 * file of the publishing machine) and sends the value in the request body only: it is registered as a
 * secret (redacted from every message), never in the plan, and the digests cover the reference, not the
 * value. Grafana answers reads with secure settings `[REDACTED]`, so a changed secret value is not
 * visible as drift; a changed reference is a change of the build. A rotated value behind the same
 * reference is sent with the next change of that contact point, or at once with `--force`, which writes
 * every o11y-owned contact point again.
 */
export const STATE_TEMPLATE = 'o11y-published-state';

type Json = Record<string, unknown>;
type Kind = 'contact point' | 'mute timing' | 'policy tree';

interface Stamp {
  /** Digest of the build's object (secrets as references). */
  readonly build: string;
  /** Digest of Grafana's answer for it, read back after the publish. */
  readonly remote: string;
}

export interface PublishedState {
  readonly contactPoints: Record<string, Stamp>;
  readonly muteTimings: Record<string, Stamp>;
  readonly policies?: Stamp;
}

const EMPTY_STATE: PublishedState = { contactPoints: {}, muteTimings: {} };
const digest = (value: unknown) => sha256(stableStringify(value)).slice(0, 32);

/** The parts of Grafana's answer that say what an object does (not its provenance, ids or versions). */
const VIEW: Readonly<Record<Kind, (remote: Json) => unknown>> = {
  'contact point': ({ name, type, settings, disableResolveMessage }) => ({
    name,
    type,
    settings,
    disableResolveMessage: disableResolveMessage === true,
  }),
  'mute timing': ({ name, time_intervals }) => ({ name, time_intervals }),
  'policy tree': ({ provenance: _provenance, ...tree }) => tree,
};

const remoteDigest = (kind: Kind, remote: Json) => digest(VIEW[kind](remote));

export type NotificationAction = RuleAction;

export interface NotificationStep {
  readonly kind: Kind;
  /** The uid of a contact point, the name of a mute timing, `policies` for the tree. */
  readonly key: string;
  readonly label: string;
  readonly action: NotificationAction;
  readonly desired: Json | undefined;
  readonly detail: string | undefined;
  readonly forced?: 'update' | 'delete';
  readonly source: SourceLocation | undefined;
}

export interface NotificationPlan {
  readonly steps: readonly NotificationStep[];
  readonly state: PublishedState;
  /** Whether the build has notifications at all (a build with rules only leaves Grafana's routing alone). */
  readonly present: boolean;
}

interface Desired {
  readonly contactPoints: Json[];
  readonly policy: Json | undefined;
  readonly muteTimings: Json[];
  readonly source: SourceLocation | undefined;
}

function desiredOf(tree: DistTree): Desired {
  const problems: Diagnostic[] = [];
  const list = (file: string) =>
    (tree.files.has(file) ? (parseJsonList(tree, file, problems) ?? []) : []) as Json[];
  const contactPoints = list(DIST.grafana.alerting.contactPoints);
  const policies = DIST.grafana.alerting.policies;
  const policy = tree.files.has(policies) ? parseJson(tree, policies, problems) : undefined;
  const muteTimings = list(DIST.grafana.alerting.muteTimings);
  if (problems.length > 0) throw new O11yErrors(problems);
  return { contactPoints, policy, muteTimings, source: sourceOf(tree, DIST.grafana.alerting.policies) };
}

/** The state o11y wrote into its template, or none yet. */
async function readState(client: HttpClient): Promise<PublishedState> {
  const template = await readOptional<{ template?: string }>(
    client,
    `${BASE}/templates/${STATE_TEMPLATE}`,
    'reading the o11y publish state template',
  );
  const match = /^\{\{\/\* o11y: (.*) \*\/\}\}$/s.exec(template?.template ?? '');
  if (!match) return EMPTY_STATE;
  return { ...EMPTY_STATE, ...(JSON.parse(match[1]!) as Partial<PublishedState>) };
}

/** The state as a Go-template comment; `/` escaped so no `*\/` can close the comment early. */
function stateTemplate(state: PublishedState): string {
  return `{{/* o11y: ${JSON.stringify(state).replaceAll('/', '\\/')} */}}`;
}

export interface NotificationPlanOptions {
  readonly force: boolean;
  readonly prune: boolean;
}

function locked(remote: Json): string | undefined {
  return remote.provenance
    ? `is provisioned with provenance "${String(remote.provenance)}", which Grafana lets only that source change (o11y writes with X-Disable-Provenance)`
    : undefined;
}

const EDITED = 'edited in Grafana since o11y published it';

/** One kind of keyed object (contact points by uid, mute timings by name) against its stamps. */
function planKeyed(
  kind: Kind,
  desired: ReadonlyMap<string, { body: Json; label: string }>,
  remote: ReadonlyMap<string, Json>,
  stamps: Record<string, Stamp>,
  options: NotificationPlanOptions & { rewriteOwned: boolean },
  source: SourceLocation | undefined,
): NotificationStep[] {
  const steps: NotificationStep[] = [];
  for (const [key, { body, label }] of desired) {
    const existing = remote.get(key);
    const stamp = stamps[key];
    const base = { kind, key, label, desired: body, source };
    if (!existing) {
      steps.push({ ...base, action: 'create', detail: undefined });
    } else if (locked(existing) || !stamp) {
      steps.push({
        ...base,
        action: 'foreign',
        detail: locked(existing) ?? 'exists in Grafana and is not managed by o11y',
      });
    } else if (remoteDigest(kind, existing) !== stamp.remote) {
      steps.push({
        ...base,
        action: options.force ? 'update' : 'drift',
        forced: 'update',
        detail: `${EDITED}${options.force ? '; --force overwrites it' : ''}`,
      });
    } else if (digest(body) !== stamp.build || options.rewriteOwned) {
      steps.push({
        ...base,
        action: 'update',
        detail: digest(body) !== stamp.build ? 'changed' : '--force writes it again',
      });
    } else {
      steps.push({ ...base, action: 'unchanged', detail: undefined });
    }
  }
  for (const [key, stamp] of Object.entries(stamps)) {
    const existing = remote.get(key);
    if (desired.has(key) || !existing) continue;
    const base = { kind, key, label: String(existing.name ?? key), desired: undefined, source: undefined };
    if (!options.prune)
      steps.push({ ...base, action: 'keep', detail: 'no longer built; --prune deletes it' });
    else if (locked(existing)) steps.push({ ...base, action: 'foreign', detail: locked(existing) });
    else if (remoteDigest(kind, existing) !== stamp.remote)
      steps.push({
        ...base,
        action: options.force ? 'delete' : 'drift',
        forced: 'delete',
        detail: `${EDITED}${options.force ? '; --force deletes it' : ''}`,
      });
    else steps.push({ ...base, action: 'delete', detail: 'no longer built' });
  }
  return steps;
}

const isDefaultTree = (tree: Json) =>
  tree.receiver === 'grafana-default-email' && (!Array.isArray(tree.routes) || tree.routes.length === 0);

/** Compares the build's contact points, policy tree and mute timings with Grafana's; reads only. */
export async function planNotifications(
  tree: DistTree,
  client: HttpClient,
  options: NotificationPlanOptions,
): Promise<NotificationPlan> {
  const desired = desiredOf(tree);
  if (!desired.policy) return { steps: [], state: EMPTY_STATE, present: false };
  const state = await readState(client);
  const [points, timings, policy] = await Promise.all([
    readJson<Json[]>(client, `${BASE}/contact-points`, 'listing contact points'),
    readJson<Json[]>(client, `${BASE}/mute-timings`, 'listing mute timings'),
    readJson<Json>(client, `${BASE}/policies`, 'reading the notification policy tree'),
  ]);
  const steps = [
    ...planKeyed(
      'mute timing',
      new Map(desired.muteTimings.map((m) => [String(m.name), { body: m, label: String(m.name) }])),
      new Map(timings.map((m) => [String(m.name), m])),
      state.muteTimings,
      { ...options, rewriteOwned: false },
      desired.source,
    ),
    ...planKeyed(
      'contact point',
      new Map(
        desired.contactPoints.map((p) => [
          String(p.uid),
          { body: p, label: `${String(p.name)} (${String(p.type)})` },
        ]),
      ),
      new Map(points.map((p) => [String(p.uid), p])),
      state.contactPoints,
      { ...options, rewriteOwned: options.force },
      desired.source,
    ),
  ];
  const base = {
    kind: 'policy tree' as const,
    key: 'policies',
    label: 'notification policy tree',
    desired: desired.policy,
    source: desired.source,
  };
  const stamp = state.policies;
  if (locked(policy)) steps.push({ ...base, action: 'foreign', detail: locked(policy) });
  else if (!stamp && !isDefaultTree(policy))
    steps.push({
      ...base,
      action: options.force ? 'update' : 'drift',
      forced: 'update',
      detail: `was set in Grafana by someone else than o11y${options.force ? '; --force replaces it' : ''}`,
    });
  else if (stamp && remoteDigest('policy tree', policy) !== stamp.remote)
    steps.push({
      ...base,
      action: options.force ? 'update' : 'drift',
      forced: 'update',
      detail: `${EDITED}${options.force ? '; --force overwrites it' : ''}`,
    });
  else if (!stamp || digest(desired.policy) !== stamp.build)
    steps.push({ ...base, action: 'update', detail: stamp ? 'changed' : "replaces Grafana's default tree" });
  else steps.push({ ...base, action: 'unchanged', detail: undefined });
  return { steps, state, present: true };
}

/** Notification objects left alone: edited in Grafana, not o11y's, or locked by another provenance. */
export function notificationRefusals(plan: NotificationPlan): Diagnostic[] {
  return plan.steps
    .filter((s) => s.action === 'drift' || s.action === 'foreign')
    .map((s) =>
      s.action === 'drift'
        ? {
            severity: 'error',
            message: `${s.kind} ${s.label} ${s.detail}; not published. --force would ${s.forced === 'delete' ? 'delete it (the build no longer defines it)' : 'overwrite it with the build'}`,
            source: s.source,
            id: 'publish/grafana-notification-drift',
            hint: 'bring the change into the Alertmanager definition (or undo it in Grafana), or publish with --force',
          }
        : {
            severity: 'error',
            message: `${s.kind} ${s.label} ${s.detail}; not published, and --force would not change that`,
            source: s.source,
            id: 'publish/grafana-notification-foreign',
            hint: 'remove the existing one from Grafana (or from whatever provisions it), or rename it in the Alertmanager definition',
          },
    );
}

export const notificationWrites = (plan: NotificationPlan) =>
  plan.steps.filter((s) => s.action === 'create' || s.action === 'update' || s.action === 'delete').length;

const REFERENCE = /^\$__(env|file)\{([^}]*)\}$/;

/** Where secret references are resolved: the publishing machine's environment and files. */
export interface SecretSource {
  readonly env: NodeJS.ProcessEnv;
  readonly readFile: (path: string) => string;
}

export const LOCAL_SECRETS: SecretSource = {
  env: process.env,
  readFile: (file) => readFileSync(file, 'utf8'),
};

/**
 * The contact point as the API takes it: each `$__env{VAR}` / `$__file{path}` setting replaced by the
 * value from the publishing machine, registered with `secret` before it leaves this function.
 */
export function resolvedContactPoint(
  point: Json,
  secret: (value: string) => void,
  secrets: SecretSource = LOCAL_SECRETS,
  at?: SourceLocation,
): Json {
  const settings: Json = {};
  for (const [key, value] of Object.entries((point.settings ?? {}) as Json)) {
    const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
    if (!match) {
      settings[key] = value;
      continue;
    }
    const [, kind, name] = match as unknown as [string, 'env' | 'file', string];
    let resolved: string | undefined;
    try {
      resolved = kind === 'env' ? secrets.env[name] : secrets.readFile(name).replace(/\r?\n$/, '');
    } catch (error) {
      throw new O11yError(
        `contact point ${String(point.name)}: cannot read the file ${name} its ${key} refers to (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        {
          id: 'publish/grafana-contact-point-secret',
          ...(at && { source: at }),
          hint: `make ${name} readable where o11y publish runs: Grafana's API does not expand $__file{}`,
        },
      );
    }
    if (!resolved)
      throw new O11yError(
        `contact point ${String(point.name)}: ${name}, which its ${key} refers to, is not set`,
        {
          id: 'publish/grafana-contact-point-secret',
          ...(at && { source: at }),
          hint: `set ${name} where o11y publish runs: Grafana's API does not expand $__env{}, so o11y sends the value`,
        },
      );
    secret(resolved);
    settings[key] = resolved;
  }
  return { ...point, settings };
}

export interface NotificationSummary {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

/**
 * Mute timings and contact points before the tree that refers to them, the tree, then deletions of what
 * it no longer refers to; last, the state with Grafana's answers read back. `secret` registers resolved
 * secret values for redaction.
 */
export async function applyNotifications(
  plan: NotificationPlan,
  client: HttpClient,
  secret: (value: string) => void,
  secrets: SecretSource = LOCAL_SECRETS,
): Promise<NotificationSummary> {
  const values: string[] = [];
  const register = (value: string) => {
    values.push(value);
    secret(value);
  };
  const redact = (text: string) => values.reduce((out, v) => out.split(v).join('***'), client.redact(text));
  const of = (kind: Kind, actions: readonly NotificationAction[]) =>
    plan.steps.filter((s) => s.kind === kind && actions.includes(s.action));
  // Every secret is resolved before the first write: a missing one must not leave half a publish.
  // One error per missing secret (its hint names it), listing every contact point that needs it.
  const missing = new Map<string, { diagnostic: Diagnostic; also: string[] }>();
  const bodies = new Map<NotificationStep, Json>();
  for (const step of of('contact point', ['create', 'update'])) {
    try {
      bodies.set(step, resolvedContactPoint(step.desired!, register, secrets, step.source));
    } catch (error) {
      if (!(error instanceof O11yError)) throw error;
      const diagnostic = error.toDiagnostic();
      const seen = missing.get(diagnostic.hint ?? diagnostic.message);
      if (seen) seen.also.push(String(step.desired!.name));
      else missing.set(diagnostic.hint ?? diagnostic.message, { diagnostic, also: [] });
    }
  }
  if (missing.size > 0)
    throw new O11yErrors(
      [...missing.values()].map(({ diagnostic, also }) =>
        also.length === 0
          ? diagnostic
          : { ...diagnostic, message: `${diagnostic.message} (and for ${also.join(', ')})` },
      ),
    );
  const problems: Diagnostic[] = [];
  const done = new Set<NotificationStep>();
  const write = async (step: NotificationStep, response: Promise<HttpResponse>, verb: string) => {
    const answer = await response;
    if (isOk(answer)) done.add(step);
    else
      problems.push(
        grafanaError(`${verb} ${step.kind} ${step.label}`, answer, redact, step.source).toDiagnostic(),
      );
  };
  const enc = encodeURIComponent;
  const options = { headers: PROVENANCE_HEADER };
  try {
    for (const step of of('mute timing', ['create', 'update'])) {
      await write(
        step,
        step.action === 'create'
          ? client.request('POST', `${BASE}/mute-timings`, { ...options, body: step.desired })
          : client.request('PUT', `${BASE}/mute-timings/${enc(step.key)}`, {
              ...options,
              body: step.desired,
            }),
        step.action === 'create' ? 'creating' : 'updating',
      );
    }
    for (const [step, body] of bodies) {
      await write(
        step,
        step.action === 'create'
          ? client.request('POST', `${BASE}/contact-points`, { ...options, body })
          : client.request('PUT', `${BASE}/contact-points/${enc(step.key)}`, { ...options, body }),
        step.action === 'create' ? 'creating' : 'updating',
      );
    }
    // The tree refers to the mute timings and contact points: it is written only when they all were.
    if (problems.length === 0) {
      for (const step of of('policy tree', ['update']))
        await write(
          step,
          client.request('PUT', `${BASE}/policies`, { ...options, body: step.desired }),
          'replacing',
        );
    }
    if (problems.length === 0) {
      for (const step of of('contact point', ['delete']))
        await write(
          step,
          client.request('DELETE', `${BASE}/contact-points/${enc(step.key)}`, options),
          'deleting',
        );
      for (const step of of('mute timing', ['delete']))
        await write(
          step,
          client.request('DELETE', `${BASE}/mute-timings/${enc(step.key)}`, options),
          'deleting',
        );
    }
  } finally {
    // Even after a failure, what was written is recorded: the next plan must not call it drift.
    if (done.size > 0) await saveState(plan, done, client, redact);
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  const count = (action: NotificationAction) => [...done].filter((s) => s.action === action).length;
  return { created: count('create'), updated: count('update'), deleted: count('delete') };
}

/** The stamps after a publish: Grafana's answers for what o11y wrote, kept for what it did not touch. */
async function saveState(
  plan: NotificationPlan,
  done: ReadonlySet<NotificationStep>,
  client: HttpClient,
  redact: (text: string) => string,
) {
  const [points, timings, policy] = await Promise.all([
    readJson<Json[]>(client, `${BASE}/contact-points`, 'listing contact points'),
    readJson<Json[]>(client, `${BASE}/mute-timings`, 'listing mute timings'),
    readJson<Json>(client, `${BASE}/policies`, 'reading the notification policy tree'),
  ]);
  const remote: Record<Kind, Map<string, Json>> = {
    'contact point': new Map(points.map((p) => [String(p.uid), p])),
    'mute timing': new Map(timings.map((m) => [String(m.name), m])),
    'policy tree': new Map([['policies', policy]]),
  };
  const stamps: Record<Kind, Record<string, Stamp>> = {
    'contact point': { ...plan.state.contactPoints },
    'mute timing': { ...plan.state.muteTimings },
    'policy tree': plan.state.policies ? { policies: plan.state.policies } : {},
  };
  for (const step of done) {
    const now = remote[step.kind].get(step.key);
    if (step.action === 'delete' && !now) delete stamps[step.kind][step.key];
    else if (step.action !== 'delete' && now && !locked(now))
      stamps[step.kind][step.key] = { build: digest(step.desired), remote: remoteDigest(step.kind, now) };
  }
  const state: PublishedState = {
    contactPoints: stamps['contact point'],
    muteTimings: stamps['mute timing'],
    ...(stamps['policy tree'].policies && { policies: stamps['policy tree'].policies }),
  };
  const response = await client.request('PUT', `${BASE}/templates/${STATE_TEMPLATE}`, {
    headers: PROVENANCE_HEADER,
    body: { name: STATE_TEMPLATE, template: stateTemplate(state) },
  });
  if (!isOk(response)) throw grafanaError('saving the o11y publish state template', response, redact);
}

/** The plan as lines for the terminal: one per object that changes. */
export function formatNotificationPlan(plan: NotificationPlan): string[] {
  if (!plan.present) return [];
  const lines = plan.steps
    .filter((s) => s.action !== 'unchanged')
    .map((s) => `  ${s.action.padEnd(9)} ${s.kind.padEnd(13)} ${s.label}${s.detail ? `: ${s.detail}` : ''}`);
  const count = (action: NotificationAction) => plan.steps.filter((s) => s.action === action).length;
  lines.push(
    `  notifications: ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged, ${count('delete')} to delete` +
      (count('keep') ? `, ${count('keep')} no longer built (kept)` : '') +
      (count('drift') ? `, ${count('drift')} drifted` : '') +
      (count('foreign') ? `, ${count('foreign')} not owned or locked` : ''),
  );
  return lines;
}
