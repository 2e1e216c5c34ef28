import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defineDimensions } from '@o11y/catalog';
import { writeTree } from '@o11y/core';
import { init, parseDashboardQuery, parse as parsePromQL, walk } from '@o11y/promql';
import { emitter } from '@o11y/rules';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');

// The organisation with its multi-cluster switch turned on, and nothing else changed.
vi.mock('../catalog/dimensions.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../catalog/dimensions.ts')>();
  const { environments } = await import('../catalog/services.ts');
  return {
    ...original,
    multiCluster: true,
    dimensions: defineDimensions({
      environment: { values: environments, source: 'target' },
      cluster: { values: original.clusters, source: 'external_labels' },
    }),
  };
});

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('the sample organisation with multiCluster on', () => {
  it('builds one prometheus.yml per cluster, each with its cluster label and Mimir user, that promtool accepts', async () => {
    const { prometheus } = await import('../rules/prometheus.ts');
    const { clusters } = await import('../catalog/dimensions.ts');
    const definitions = [prometheus];
    const context = { root, definitions, profile: 'default', log: () => {} };
    const artifacts = [...emitter.emit(definitions, context)];
    const configs = artifacts.filter((a) => a.kind === 'prometheus-config');
    expect(configs.map((a) => a.path)).toEqual(clusters.map((c) => `prometheus/servers/${c}/prometheus.yml`));
    for (const [i, cluster] of clusters.entries()) {
      const yml = parse(configs[i]!.content);
      expect(yml.global.external_labels).toEqual({ cluster });
      expect(yml.remote_write[0].basic_auth.username).toBe(`prometheus-${cluster}`);
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-multi-cluster-'));
    scratch.push(dir);
    await writeTree(dir, artifacts);
    expect(await emitter.verify!(artifacts, dir, context)).toEqual([]);
  });
});

/**
 * The sample organisation copied into a scratch project with its multi-cluster switch turned on (the
 * one line a user changes), the workspace's node_modules and pinned tools linked in.
 */
async function multiClusterProject(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-multi-cluster-project-'));
  scratch.push(dir);
  for (const entry of [
    'catalog',
    'rules',
    'dashboards',
    'alertmanager',
    'o11y.config.ts',
    'package.json',
    'tsconfig.json',
    'tsconfig.base.json',
  ])
    await cp(path.join(root, entry), path.join(dir, entry), { recursive: true });
  for (const linked of ['node_modules', '.tools'])
    await symlink(path.join(root, linked), path.join(dir, linked));
  const file = path.join(dir, 'catalog', 'dimensions.ts');
  const source = await readFile(file, 'utf8');
  const switched = source.replace('export const multiCluster = false;', 'export const multiCluster = true;');
  expect(switched).not.toBe(source);
  await writeFile(file, switched);
  return dir;
}

interface Panel {
  readonly title: string;
  readonly datasource?: { readonly type?: string };
  readonly targets?: readonly { readonly expr?: string; readonly datasource?: { readonly type?: string } }[];
  readonly panels?: readonly Panel[];
}

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
}

/** How many selectors a PromQL dashboard query has. */
function selectorCount(expr: string): number {
  const parsed = parseDashboardQuery(expr);
  if (!parsed.ok) throw new Error(`${expr} does not parse`);
  let count = 0;
  walk(parsed.expr, (node) => {
    if (node.type === 'VectorSelector') count++;
  });
  return count;
}

describe('the dashboards of the sample organisation with multiCluster on', () => {
  it('declare $cluster and $environment and filter every selector of every PromQL and log query by them; build and lint pass', async () => {
    await init();
    const dir = await multiClusterProject();
    const o11y = (...args: string[]) =>
      promisify(execFile)(process.execPath, [path.join(root, 'node_modules/.bin/o11y'), ...args], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
    // The build verifies what it writes (dashboards against the rules, promtool on the rules).
    await o11y('build');
    const lint = await o11y('lint');
    expect(lint.stdout).toContain('0 errors, 0 warnings');

    const base = path.join(dir, 'dist', 'grafana', 'dashboards');
    const files = (await readdir(base, { recursive: true })).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(20);
    let queries = 0;
    let logQueries = 0;
    for (const file of files) {
      const json = JSON.parse(await readFile(path.join(base, file), 'utf8'));
      const variables = (json.templating?.list ?? []) as {
        name: string;
        multi?: boolean;
        includeAll?: boolean;
      }[];
      const cluster = variables.find((v) => v.name === 'cluster');
      expect(cluster, `${file} declares $cluster`).toMatchObject({ multi: true, includeAll: true });
      const hasEnvironment = variables.some((v) => v.name === 'environment');
      for (const panel of panelsOf(json.panels ?? [])) {
        for (const target of panel.targets ?? []) {
          const type = target.datasource?.type ?? panel.datasource?.type;
          if (target.expr === undefined) continue;
          if (type === 'loki') {
            // The log agent adds the cluster to every stream (catalog/log-streams.ts): logs filter by it too.
            logQueries++;
            expect(target.expr, `${file} · ${panel.title}`).toContain('cluster=~"$cluster"');
            continue;
          }
          queries++;
          const where = `${file} · ${panel.title}: ${target.expr}`;
          // Exactly one cluster matcher per selector: every series read is the chosen clusters'.
          expect(target.expr.split('cluster=~"$cluster"').length - 1, where).toBe(selectorCount(target.expr));
          // Lint's dashboard/variable-ignored (clean above) checks the selectors carrying `environment`.
          if (hasEnvironment && /\benvironment\b/.test(target.expr))
            expect(target.expr, where).toContain('environment=~"$environment"');
        }
      }
    }
    expect(queries).toBeGreaterThan(300);
    expect(logQueries).toBeGreaterThan(10);

    // The central ruler sees every cluster's series: its copy of the rules keeps the cluster throughout.
    const mimir = path.join(dir, 'dist', 'mimir');
    let aggregations = 0;
    for (const file of await readdir(mimir)) {
      const { groups } = parse(await readFile(path.join(mimir, file), 'utf8')) as {
        groups: { rules: { expr: string }[] }[];
      };
      for (const { expr } of groups.flatMap((g) => g.rules)) {
        const parsed = parsePromQL(expr);
        if (!parsed.ok) throw new Error(`${file}: ${expr} does not parse`);
        walk(parsed.expr, (node) => {
          if (node.type !== 'Aggregate' || node.without) return;
          aggregations++;
          expect(node.grouping, `${file}: ${expr}`).toContain('cluster');
        });
      }
    }
    expect(aggregations).toBeGreaterThan(500);
  });
});
