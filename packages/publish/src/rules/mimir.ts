import path from 'node:path';
import { compareCodePoints, DIST, O11yError, stableStringify } from '@o11y/core';
import { parse, stringify } from 'yaml';
import { type DistTree, filesUnder, sourceOf } from '../built/tree.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { mapBounded } from '../http/pool.ts';

const API = '/prometheus/config/v1/rules';

interface RuleGroup {
  name: string;
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

export interface RulerOptions {
  readonly tree: DistTree;
  readonly client: HttpClient;
  readonly dryRun?: boolean;
  readonly concurrency?: number;
  /**
   * Namespaces named with this prefix are o11y's: with `prune`, the ones the build no longer has are
   * deleted. Without a prefix o11y never deletes a whole namespace (mimirtool sync's danger).
   */
  readonly ownedPrefix?: string;
  readonly prune?: boolean;
}

/** Namespaces of the build: `dist/mimir/<namespace>.yml` holding `groups:` (or mimirtool's `namespace:` + `groups:`). */
export function desiredNamespaces(tree: DistTree): Map<string, RuleGroup[]> {
  const out = new Map<string, RuleGroup[]>();
  for (const file of filesUnder(tree, DIST.mimir.dir, ['.yml', '.yaml'])) {
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

function check(response: HttpResponse, what: string, client: HttpClient, ok: readonly number[]): void {
  if (ok.includes(response.status)) return;
  throw new O11yError(
    `${what}: ruler answered ${response.status}: ${client.redact(response.text.trim().slice(0, 300))}`,
    {
      id: `publish/ruler-${response.status}`,
      hint:
        response.status === 401 || response.status === 403
          ? 'check the tenant (--tenant / X-Scope-OrgID) and the token'
          : 'check the rule group; `npm run o11y -- build` runs promtool on it',
    },
  );
}

const same = (a: RuleGroup, b: RuleGroup) => stableStringify(a) === stableStringify(b);

/** Compare the build's namespaces with the ruler's; reads only. */
export async function planRuler(options: RulerOptions): Promise<RulerStep[]> {
  const { client } = options;
  const desired = desiredNamespaces(options.tree);
  const all = await client.request('GET', API);
  if (all.status === 404) return planAgainst(desired, new Map(), options);
  check(all, 'listing rule namespaces', client, [200]);
  const remote = new Map(Object.entries((parse(all.text) ?? {}) as Record<string, RuleGroup[]>));
  return planAgainst(desired, remote, options);
}

function planAgainst(
  desired: Map<string, RuleGroup[]>,
  remote: Map<string, RuleGroup[]>,
  options: RulerOptions,
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

/**
 * Publish to the Mimir/Cortex ruler: within the build's namespaces create, update and delete groups
 * so they match; namespaces o11y does not define are left alone unless they carry `ownedPrefix` and
 * `prune` is set.
 */
export async function publishRuler(options: RulerOptions): Promise<RulerStep[]> {
  const steps = await planRuler(options);
  if (!options.dryRun) await applyRulerSteps(steps, options.client, options.concurrency);
  return steps;
}

/** Carries out the steps of `planRuler`; every step runs, and the first failure is thrown. */
export async function applyRulerSteps(
  steps: readonly RulerStep[],
  client: HttpClient,
  concurrency = 4,
): Promise<void> {
  const enc = encodeURIComponent;
  const results = await mapBounded(
    steps.filter((s) => s.action !== 'unchanged' && s.action !== 'keep-namespace'),
    concurrency,
    async (step) => {
      if (step.action === 'create' || step.action === 'update') {
        const response = await client.request('POST', `${API}/${enc(step.namespace)}`, {
          body: stringify(step.body),
          contentType: 'yaml',
        });
        check(response, `writing group ${step.namespace}/${step.group}`, client, [200, 202]);
      } else {
        const target =
          step.group === undefined
            ? `${API}/${enc(step.namespace)}`
            : `${API}/${enc(step.namespace)}/${enc(step.group)}`;
        const response = await client.request('DELETE', target);
        // 404 after a retry: an earlier attempt deleted it and its answer was lost.
        check(
          response,
          `deleting ${step.namespace}${step.group ? `/${step.group}` : ''}`,
          client,
          response.attempts > 1 ? [200, 202, 404] : [200, 202],
        );
      }
    },
  );
  const failure = results.find((r) => !r.ok);
  if (failure && !failure.ok) throw failure.error;
}

export function formatRulerPlan(steps: readonly RulerStep[]): string[] {
  return steps
    .filter((s) => s.action !== 'unchanged')
    .map((s) => `  ${s.action.padEnd(16)} ${s.namespace}${s.group ? ` / ${s.group}` : ''}`);
}
