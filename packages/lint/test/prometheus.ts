import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listenLocal, startPrometheus as startPinnedPrometheus } from '@o11y/core';

export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

async function hasSeries(url: string, selector: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/series?match[]=${encodeURIComponent(selector)}`);
  const body = (await response.json()) as { data?: unknown[] };
  return (body.data?.length ?? 0) > 0;
}

/**
 * The pinned Prometheus (core's startPrometheus: 127.0.0.1, a free port) scraping a target served here
 * with `exposition` as job `job` every second; resolves once `ready` has been scraped.
 */
export async function startPrometheus(
  job: string,
  exposition: string,
  ready: string,
): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'o11y-lint-prometheus-'));
  const target = await listenLocal((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(exposition);
  });
  const targetPort = target.port;
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(
    config,
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:${targetPort}']\n`,
  );
  const cleanUp = async () => {
    await target.stop();
    await rm(dir, { recursive: true, force: true });
  };
  let server: Awaited<ReturnType<typeof startPinnedPrometheus>>;
  try {
    server = await startPinnedPrometheus(config, path.join(dir, 'data'));
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const stop = async () => {
    await server.stop();
    await cleanUp();
  };
  const deadline = Date.now() + 30_000;
  while (!(await hasSeries(server.url, ready).catch(() => false))) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not scrape ${ready} within 30s\n${server.logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url: server.url, stop };
}
