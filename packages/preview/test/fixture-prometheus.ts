/**
 * A real Prometheus (the pinned one from .tools/bin) holding one hour of a small service's data:
 * written as OpenMetrics, turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`,
 * and served on 127.0.0.1. The hour ends at END, which the previews pin as "now".
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningServer, startPrometheus, toolPath } from '@o11y/core';

export const END = Date.UTC(2026, 0, 15, 12, 0, 0);
const STEP_S = 15;
const POINTS = 241;
const INSTANCES = ['a:9100', 'b:9100', 'c:9100'];
const ROUTES = ['/checkout', '/search'];
const BUCKETS = ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

/** Cumulative share of requests at or under each bucket bound, at sample `i`. */
function bucketShares(route: string, i: number): number[] {
  const wave = Math.sin(i / 20);
  const underHalf = route === '/checkout' ? 0.9 + 0.07 * wave : 0.975;
  return [0.3, 0.6, underHalf, 0.995, 1, 1];
}

function openMetrics(): string {
  const lines: string[] = [];
  const times = Array.from({ length: POINTS }, (_, i) => END / 1000 - (POINTS - 1 - i) * STEP_S);
  const labels = (pairs: Record<string, string>) =>
    `{${Object.entries(pairs)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`;
  lines.push('# TYPE demo_up gauge');
  for (const instance of INSTANCES) {
    for (const t of times) lines.push(`demo_up${labels({ job: 'demo', instance })} 1 ${t}`);
  }
  lines.push('# TYPE demo_saturation_ratio gauge');
  INSTANCES.forEach((instance, n) => {
    times.forEach((t, i) => {
      lines.push(
        `demo_saturation_ratio${labels({ job: 'demo', instance })} ${(0.6 + 0.1 * Math.sin(i / 15 + n)).toFixed(4)} ${t}`,
      );
    });
  });
  lines.push('# TYPE demo_requests counter');
  for (const instance of INSTANCES) {
    for (const route of ROUTES) {
      for (const code of ['200', '500']) {
        let total = 0;
        times.forEach((t, i) => {
          const perSecond = code === '200' ? 10 * (1 + 0.3 * Math.sin(i / 25)) : 0.2;
          total += perSecond * STEP_S;
          lines.push(
            `demo_requests_total${labels({ job: 'demo', instance, route, code })} ${total.toFixed(3)} ${t}`,
          );
        });
      }
    }
  }
  lines.push('# TYPE demo_request_duration_seconds_bucket unknown');
  for (const instance of INSTANCES) {
    for (const route of ROUTES) {
      BUCKETS.forEach((le, b) => {
        let count = 0;
        times.forEach((t, i) => {
          count += 10 * STEP_S * bucketShares(route, i)[b]!;
          lines.push(
            `demo_request_duration_seconds_bucket${labels({ job: 'demo', instance, route, le })} ${count.toFixed(3)} ${t}`,
          );
        });
      });
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

export interface FixturePrometheus {
  readonly server: RunningServer;
  stop(): Promise<void>;
}

export async function startFixturePrometheus(): Promise<FixturePrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'o11y-preview-prometheus-'));
  const data = path.join(dir, 'data');
  const input = path.join(dir, 'data.om');
  await writeFile(input, openMetrics());
  const created = spawnSync(
    toolPath('promtool'),
    ['tsdb', 'create-blocks-from', 'openmetrics', input, data],
    {
      encoding: 'utf8',
    },
  );
  if (created.status !== 0) throw new Error(`promtool create-blocks-from failed:\n${created.stderr}`);
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 15s\n');
  const server = await startPrometheus(config, data);
  return {
    server,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
