import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DIST, O11yError, stableStringify } from '@o11y/core';
import { parse } from 'yaml';
import { type DistTree, filesUnder, sourceOf } from '../built/tree.ts';
import { swapReloadVerify } from '../files/reload.ts';
import { snapshotFiles, unchanged } from '../files/replace.ts';
import { type HttpClient, jsonOf } from '../http/client.ts';

/** Kept in the target directory: which files o11y wrote there, so it removes only its own. */
export const RULES_STATE_FILE = '.o11y-rules.json';

export interface PrometheusRulesOptions {
  readonly tree: DistTree;
  /** The directory Prometheus's `rule_files` glob reads. */
  readonly rulesDir: string;
  readonly client: HttpClient;
  readonly dryRun?: boolean;
  /** Also wait (up to this long) until every rule was evaluated once and is healthy. */
  readonly waitForEvaluationMs?: number;
}

export interface PrometheusRulesResult {
  readonly changed: boolean;
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly groups: number;
}

interface RulesApiGroup {
  name: string;
  file: string;
  rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation?: string }>;
}

/** `{file name → group names}` of the rule files in a build. */
function expectedGroups(tree: DistTree, files: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files) {
    let parsed: { groups?: Array<{ name?: unknown }> } | undefined;
    try {
      parsed = parse(tree.files.get(file)!) as typeof parsed;
    } catch (error) {
      throw new O11yError(`dist/${file} is not valid YAML: ${(error as Error).message}`, {
        source: sourceOf(tree, file),
        id: 'publish/rules-yaml',
        hint: 'rebuild with `npm run o11y -- build`',
      });
    }
    out.set(
      path.posix.basename(file),
      (parsed?.groups ?? []).map((g) => String(g.name)),
    );
  }
  return out;
}

async function previouslyWritten(rulesDir: string): Promise<string[]> {
  try {
    const state = JSON.parse(await readFile(path.join(rulesDir, RULES_STATE_FILE), 'utf8')) as {
      files?: unknown;
    };
    return Array.isArray(state.files)
      ? state.files.filter((f): f is string => typeof f === 'string' && !f.includes('/'))
      : [];
  } catch {
    return [];
  }
}

/** The files a publish writes into the rules directory, what it removes, and the groups it expects. */
export interface PrometheusRulesPlan {
  readonly files: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
  /** `{file name → group names}` Prometheus must load. */
  readonly expected: ReadonlyMap<string, string[]>;
  /** False when the directory already holds exactly these files. */
  readonly changed: boolean;
}

/** Compares the build's rule files with the rules directory; reads only. */
export async function planPrometheusRules(
  options: Pick<PrometheusRulesOptions, 'tree' | 'rulesDir'>,
): Promise<PrometheusRulesPlan> {
  const distFiles = filesUnder(options.tree, DIST.prometheus.rulesDir, ['.yml', '.yaml']);
  const expected = expectedGroups(options.tree, distFiles);
  const files = new Map(distFiles.map((f) => [path.posix.basename(f), options.tree.files.get(f)!]));
  const names = [...files.keys()];
  const remove = (await previouslyWritten(options.rulesDir)).filter((f) => !files.has(f));
  files.set(RULES_STATE_FILE, stableStringify({ files: names }));
  const current = await snapshotFiles(options.rulesDir, [...files.keys(), ...remove]);
  return { files, remove, expected, changed: !unchanged(current, files, remove) };
}

/**
 * Write the planned files into the rules directory atomically, remove the files o11y wrote before and
 * no longer builds, `POST /-/reload`, and check that every group loaded healthy; any failure restores
 * the previous files and reloads again.
 */
export async function applyPrometheusRules(
  plan: PrometheusRulesPlan,
  options: Omit<PrometheusRulesOptions, 'tree' | 'dryRun'>,
): Promise<void> {
  await swapReloadVerify({
    dir: options.rulesDir,
    files: plan.files,
    remove: plan.remove,
    client: options.client,
    product: 'Prometheus',
    verify: () => verifyPrometheusRules(plan, options),
  });
}

/** Through `/api/v1/rules`: every planned group loaded and no rule is unhealthy. */
export function verifyPrometheusRules(
  plan: PrometheusRulesPlan,
  options: Pick<PrometheusRulesOptions, 'client' | 'waitForEvaluationMs'>,
): Promise<void> {
  return verifyLoaded(options.client, plan.expected, options.waitForEvaluationMs ?? 0);
}

/** Publish rule files to a plain Prometheus: plan, then (unless a dry run) apply. */
export async function publishPrometheusRules(
  options: PrometheusRulesOptions,
): Promise<PrometheusRulesResult> {
  const plan = await planPrometheusRules(options);
  if (plan.changed && !options.dryRun) await applyPrometheusRules(plan, options);
  const written = [...plan.files.keys()].filter((f) => f !== RULES_STATE_FILE);
  const groups = [...plan.expected.values()].reduce((n, g) => n + g.length, 0);
  const done = plan.changed && !options.dryRun;
  return { changed: plan.changed, written: done ? written : [], removed: done ? plan.remove : [], groups };
}

async function verifyLoaded(
  client: HttpClient,
  expected: ReadonlyMap<string, string[]>,
  waitMs: number,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const response = await client.request('GET', '/api/v1/rules');
    if (response.status !== 200) {
      throw new O11yError(
        `Prometheus /api/v1/rules answered ${response.status}: ${client.redact(response.text.slice(0, 300))}`,
        {
          id: 'publish/rules-verify',
        },
      );
    }
    const groups = ((jsonOf(response) as { data?: { groups?: RulesApiGroup[] } })?.data?.groups ?? []).filter(
      (g) => expected.has(path.basename(g.file)),
    );
    const loaded = new Set(groups.map((g) => `${path.basename(g.file)}\u0000${g.name}`));
    const missing = [...expected].flatMap(([file, names]) =>
      names.filter((n) => !loaded.has(`${file}\u0000${n}`)).map((n) => `${file}: group "${n}"`),
    );
    if (missing.length > 0) {
      throw new O11yError(`Prometheus did not load ${missing.join(', ')}`, {
        id: 'publish/rules-verify',
        hint: "check that Prometheus's rule_files glob covers the rules directory",
      });
    }
    const rules = groups.flatMap((g) => g.rules.map((r) => ({ group: g, rule: r })));
    const broken = rules.filter(({ rule }) => rule.health === 'err');
    if (broken.length > 0) {
      throw new O11yError(
        `unhealthy rules after reload: ${broken
          .map(
            ({ group, rule }) =>
              `${path.basename(group.file)} ${group.name}/${rule.name}: ${rule.lastError ?? 'error'}`,
          )
          .join('; ')}`,
        { id: 'publish/rules-unhealthy', hint: 'fix the rule expression; the previous rule files were kept' },
      );
    }
    const pending = rules.filter(({ rule }) => rule.health !== 'ok');
    if (pending.length === 0 || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
