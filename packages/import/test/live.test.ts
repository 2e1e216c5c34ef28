import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listenLocal, startPrometheus } from '@o11y/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evidenceFromPrometheus, planImport } from '../src/index.ts';
import { FIXTURES, scratchOrganisation } from './scratch.ts';

let org: Awaited<ReturnType<typeof scratchOrganisation>>;
let url: string;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  org = await scratchOrganisation();
  const exposition = await readFile(path.join(FIXTURES, 'queue-worker.prom'), 'utf8');
  const target = await listenLocal((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(exposition);
  });
  stops.push(() => target.stop());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-import-prometheus-'));
  stops.push(() => rm(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(
    config,
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: queue-worker\n    static_configs:\n      - targets: ['127.0.0.1:${target.port}']\n`,
  );
  const server = await startPrometheus(config, path.join(dir, 'data'));
  stops.unshift(() => server.stop());
  url = server.url;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const metadata = (await (await fetch(`${url}/api/v1/metadata`)).json()) as {
      data: Record<string, unknown>;
    };
    if ('queue_depth' in metadata.data) break;
    if (Date.now() > deadline) throw new Error(`Prometheus did not scrape the target\n${server.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 60_000);
afterAll(async () => {
  for (const stop of stops) await stop();
  await org.remove();
});

test('a live Prometheus gives types from /api/v1/metadata and jobs, buckets and label counts from /api/v1/series', async () => {
  const plan = await planImport({
    root: org.root,
    inputs: [path.join(FIXTURES, 'rules/mixin-rules.yaml')],
    evidence: (series) => evidenceFromPrometheus(url, series),
  });
  const byName = new Map(plan.report.inferred.map((t) => [t.metric, t]));
  expect(byName.get('queue_processing_duration_seconds')).toMatchObject({
    type: 'histogram',
    because: 'Prometheus metadata says histogram',
  });
  expect(byName.get('queue_depth')).toMatchObject({
    type: 'counter',
    corrected: 'gauge (deriv() is applied to it)',
  });
  const catalog = plan.files.find((f) => f.path === 'catalog/imported/mixin-rules.ts')!.content;
  expect(catalog).toContain('buckets: [0.1, 0.5, 2.5]');
  expect(catalog).toContain("const queueWorkerJob = job('queue-worker'");
  expect(catalog).toMatch(/queue_depth[\s\S]*namespace: label\.cardinality\(2\)/);
}, 120_000);
