import path from 'node:path';
import {
  compareCodePoints,
  DIST,
  type Diagnostic,
  O11yError,
  O11yErrors,
  type SourceLocation,
  stableStringify,
} from '@o11y/core';
import { init as initPromql, parse as parseExpr } from '@o11y/promql';
import { parse, stringify } from 'yaml';
import { type DistTree, filesUnder, sourceOf } from '../built/tree.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { mapBounded } from '../http/pool.ts';
import { type TenantEndpoint, tenantClient } from '../http/tenant.ts';

/** Every rule of the build with the TypeScript line that defined it (written by the rules emitter). */
const RULE_INDEX = DIST.prometheus.index;

/**
 * The servers of the same ruler configuration API: Mimir serves it under another prefix, and Loki's
 * ruler (Cortex's, with LogQL expressions) under its own.
 */
export type RulerApi = 'cortex' | 'mimir' | 'loki';
export const RULER_APIS: readonly RulerApi[] = ['cortex', 'mimir', 'loki'];

const PREFIX: Record<RulerApi, string> = {
  cortex: '/api/v1/rules',
  mimir: '/prometheus/config/v1/rules',
  loki: '/loki/api/v1/rules',
};

/** Where a build keeps the namespaces of each API: Loki's rules are LogQL, the others' PromQL. */
const NAMESPACES_DIR: Record<RulerApi, string> = {
  cortex: DIST.mimir.dir,
  mimir: DIST.mimir.dir,
  loki: DIST.loki.rulesDir,
};

/** The path of all namespaces, of one namespace, or of one group of it, on the given API. */
export function rulerPath(api: RulerApi, namespace?: string, group?: string): string {
  return [PREFIX[api], namespace, group]
    .filter((part) => part !== undefined)
    .map((part, i) => (i === 0 ? part : encodeURIComponent(part!)))
    .join('/');
}

interface RuleGroup {
  name: string;
  rules?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export type RulerAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'unchanged'
  | 'delete-namespace'
  | 'keep-namespace';

export interface RulerStep {
  readonly action: RulerAction;
  readonly namespace: string;
  readonly group: string | undefined;
  readonly body: RuleGroup | undefined;
}

export interface RulerPublishOptions extends TenantEndpoint {
  /** `cortex` (`/api/v1/rules`), `mimir` (`/prometheus/config/v1/rules`) or `loki` (`/loki/api/v1/rules`). */
  readonly api: RulerApi;
  readonly tree: DistTree;
  readonly dryRun?: boolean;
  readonly concurrency?: number;
  /**
   * Namespaces named with this prefix are o11y's: with `prune`, the ones the build no longer has are
   * deleted. Without a prefix o11y never deletes a whole namespace (mimirtool sync's danger).
   */
  readonly ownedPrefix?: string;
  readonly prune?: boolean;
}

export interface RulerPublishResult {
  /** The plan: what differed from the ruler before publishing. */
  readonly steps: readonly RulerStep[];
  /** Requests that changed the ruler (0 on a dry run or when nothing differed). */
  readonly writes: number;
}

/**
 * Namespaces of the build: `dist/mimir/<namespace>.yml` holding `groups:` (or mimirtool's `namespace:` +
 * `groups:`); for Loki's ruler, `dist/loki/rules/<namespace>.yml`.
 */
export function desiredNamespaces(tree: DistTree, api: RulerApi = 'mimir'): Map<string, RuleGroup[]> {
  const out = new Map<string, RuleGroup[]>();
  for (const file of filesUnder(tree, NAMESPACES_DIR[api], ['.yml', '.yaml'])) {
    let parsed: { namespace?: unknown; groups?: RuleGroup[] };
    try {
      parsed = (parse(tree.files.get(file)!) ?? {}) as typeof parsed;
    } catch (error) {
      throw new O11yError(`dist/${file} is not valid YAML: ${(error as Error).message}`, {
        source: sourceOf(tree, file),
        id: 'publish/ruler-yaml',
      });
    }
    const namespace =
      typeof parsed.namespace === 'string'
        ? parsed.namespace
        : path.posix.basename(file).replace(/\.ya?ml$/, '');
    out.set(namespace, parsed.groups ?? []);
  }
  return out;
}

function refusal(response: HttpResponse, what: string, client: HttpClient, source?: SourceLocation) {
  return new O11yError(
    `${what}: ruler answered ${response.status}: ${client.redact(response.text.trim().slice(0, 300))}`,
    {
      source,
      id: `publish/ruler-${response.status}`,
      hint:
        response.status === 401 || response.status === 403
          ? 'check the tenant (--tenant / X-Scope-OrgID) and the token'
          : response.status === 404
            ? 'check --ruler-url and --api (Cortex serves /api/v1/rules, Mimir /prometheus/config/v1/rules, Loki /loki/api/v1/rules)'
            : 'fix the rule at this line; `npm run o11y -- build` checks it with promtool',
    },
  );
}

interface IndexedRule {
  readonly group?: string;
  readonly name?: string;
  readonly source?: SourceLocation;
}

/** The TypeScript line of each rule of a group, from the build's rule index. */
function ruleSources(tree: DistTree, group: string): IndexedRule[] {
  const text = tree.files.get(RULE_INDEX);
  if (text === undefined) return [];
  const rules = ((JSON.parse(text) as { rules?: unknown }).rules ?? []) as IndexedRule[];
  return rules.filter((r) => r.group === group);
}

/**
 * Why a ruler refused a group, at the TypeScript line of the rule to fix. Cortex 1.21 answers a bad
 * expression with an empty 400, so each rule is parsed with Prometheus's own parser to find it; any
 * other refusal points at the group's first rule, else at the namespace file.
 */
function rejectedGroup(
  tree: DistTree,
  api: RulerApi,
  step: RulerStep,
  response: HttpResponse,
  client: HttpClient,
) {
  const namespaceFile = sourceOf(tree, `${NAMESPACES_DIR[api]}/${step.namespace}.yml`);
  // Loki's rules are LogQL, which `o11y build` already parsed; its refusal points at the namespace file.
  const rules = api === 'loki' ? [] : (step.body?.rules ?? []);
  const sources = ruleSources(tree, step.group!);
  const sourceOfRule = (index: number) => {
    const name = String(rules[index]?.alert ?? rules[index]?.record ?? '');
    return sources.filter((r) => r.name === name)[0]?.source;
  };
  for (const [index, rule] of rules.entries()) {
    const parsed = parseExpr(String(rule.expr ?? ''));
    if (parsed.ok) continue;
    const first = parsed.errors[0]!;
    return new O11yError(
      `the ruler refused group ${step.namespace}/${step.group} (${response.status}): rule ${String(rule.alert ?? rule.record)} has invalid PromQL at ${first.line}:${first.column}: ${first.message}`,
      {
        source: sourceOfRule(index) ?? namespaceFile,
        id: 'publish/ruler-rejected',
        hint: 'fix the expression at this line; `npm run o11y -- build` checks every rule with promtool',
      },
    );
  }
  return refusal(
    response,
    `the ruler refused group ${step.namespace}/${step.group}`,
    client,
    (api === 'loki' ? undefined : sources[0]?.source) ?? namespaceFile,
  );
}

const same = (a: RuleGroup, b: RuleGroup) => stableStringify(a) === stableStringify(b);

async function remoteNamespaces(client: HttpClient, api: RulerApi): Promise<Map<string, RuleGroup[]>> {
  const all = await client.request('GET', rulerPath(api));
  // Both rulers answer 404 "no rule groups found" for a tenant that has none.
  if (all.status === 404 && /no rule groups found/i.test(all.text)) return new Map();
  if (all.status !== 200) throw refusal(all, 'listing rule namespaces', client);
  return new Map(Object.entries((parse(all.text) ?? {}) as Record<string, RuleGroup[]>));
}

function planAgainst(
  desired: Map<string, RuleGroup[]>,
  remote: Map<string, RuleGroup[]>,
  options: Pick<RulerPublishOptions, 'ownedPrefix' | 'prune'>,
): RulerStep[] {
  const steps: RulerStep[] = [];
  for (const [namespace, groups] of [...desired].sort(([a], [b]) => compareCodePoints(a, b))) {
    const existing = new Map((remote.get(namespace) ?? []).map((g) => [g.name, g]));
    for (const group of groups) {
      const current = existing.get(group.name);
      const action: RulerAction = !current ? 'create' : same(current, group) ? 'unchanged' : 'update';
      steps.push({ action, namespace, group: group.name, body: group });
    }
    const names = new Set(groups.map((g) => g.name));
    for (const name of [...existing.keys()].sort(compareCodePoints)) {
      if (!names.has(name)) steps.push({ action: 'delete', namespace, group: name, body: undefined });
    }
  }
  for (const namespace of [...remote.keys()].sort(compareCodePoints)) {
    if (desired.has(namespace) || !options.ownedPrefix || !namespace.startsWith(options.ownedPrefix))
      continue;
    steps.push({
      action: options.prune ? 'delete-namespace' : 'keep-namespace',
      namespace,
      group: undefined,
      body: undefined,
    });
  }
  return steps;
}

const isWrite = (step: RulerStep) => step.action !== 'unchanged' && step.action !== 'keep-namespace';

async function apply(
  client: HttpClient,
  api: RulerApi,
  tree: DistTree,
  steps: readonly RulerStep[],
  concurrency: number,
): Promise<void> {
  const results = await mapBounded(steps, concurrency, async (step): Promise<Diagnostic | undefined> => {
    if (step.action === 'create' || step.action === 'update') {
      const response = await client.request('POST', rulerPath(api, step.namespace), {
        body: stringify(step.body),
        contentType: 'yaml',
      });
      if (response.status === 200 || response.status === 202) return undefined;
      if (response.status === 400) return rejectedGroup(tree, api, step, response, client).toDiagnostic();
      return refusal(
        response,
        `the ruler refused group ${step.namespace}/${step.group}`,
        client,
      ).toDiagnostic();
    }
    const response = await client.request('DELETE', rulerPath(api, step.namespace, step.group));
    // 404 after a retry: an earlier attempt deleted it and its answer was lost.
    const ok = response.attempts > 1 ? [200, 202, 404] : [200, 202];
    if (ok.includes(response.status)) return undefined;
    return refusal(
      response,
      `deleting ${step.namespace}${step.group ? `/${step.group}` : ''}`,
      client,
    ).toDiagnostic();
  });
  const diagnostics = results.flatMap((r) =>
    r.ok ? (r.value ? [r.value] : []) : [...toErrorDiagnostics(r.error)],
  );
  if (diagnostics.length > 0) throw new O11yErrors(diagnostics);
}

function toErrorDiagnostics(error: unknown): Diagnostic[] {
  if (error instanceof O11yError) return [error.toDiagnostic()];
  return [{ severity: 'error', message: (error as Error).message, id: 'publish/ruler' }];
}

/** Compare the build's namespaces with the ruler's; reads only. */
export async function planRuler(options: RulerPublishOptions): Promise<RulerStep[]> {
  const client = tenantClient(options);
  const remote = await remoteNamespaces(client, options.api);
  return planAgainst(desiredNamespaces(options.tree, options.api), remote, options);
}

/** Carries out the writes of a plan (create, update, delete), each refusal at its TypeScript line. */
export async function applyRulerSteps(
  options: RulerPublishOptions,
  steps: readonly RulerStep[],
): Promise<number> {
  const writes = steps.filter(isWrite);
  if (writes.length === 0) return 0;
  await initPromql();
  await apply(tenantClient(options), options.api, options.tree, writes, options.concurrency ?? 4);
  return writes.length;
}

/** Reads every namespace back: the ruler must hold exactly what the build defines. */
export async function verifyRuler(options: RulerPublishOptions): Promise<void> {
  const differing = (await planRuler(options)).filter(isWrite);
  if (differing.length > 0) {
    throw new O11yError(
      `the ruler accepted every write but reads back differently: ${differing
        .map((s) => `${s.action} ${s.namespace}${s.group ? `/${s.group}` : ''}`)
        .join(', ')}`,
      {
        id: 'publish/ruler-verify',
        hint: 'another writer may be changing these namespaces at the same time; publish again',
      },
    );
  }
}

/**
 * Publish to a Cortex or Mimir ruler: within the build's namespaces create, update and delete groups
 * so they match; namespaces o11y does not define are left alone unless they carry `ownedPrefix` and
 * `prune` is set. Then read every namespace back: the ruler must hold exactly what was published.
 */
export async function publishRuler(options: RulerPublishOptions): Promise<RulerPublishResult> {
  const steps = await planRuler(options);
  if (options.dryRun) return { steps, writes: 0 };
  const writes = await applyRulerSteps(options, steps);
  if (writes > 0) await verifyRuler(options);
  return { steps, writes };
}

export function formatRulerPlan(steps: readonly RulerStep[]): string[] {
  return steps
    .filter((s) => s.action !== 'unchanged')
    .map((s) => `  ${s.action.padEnd(16)} ${s.namespace}${s.group ? ` / ${s.group}` : ''}`);
}
