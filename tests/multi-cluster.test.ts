import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defineDimensions } from '@o11y/catalog';
import { writeTree } from '@o11y/core';
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
      environment: { values: environments, source: 'relabel' },
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
    const artifacts = await emitter.emit(definitions, context);
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
