import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defineCatalog } from '@o11y/catalog';
import { type RunningServer, startPrometheus } from '@o11y/core';
import {
  environmentsOf,
  metricsOfJob,
  probeTargetsOf,
  type SampleService,
  startSampleService,
} from '@o11y/sample-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { estate } from '../catalog/estate.ts';
import { environments } from '../catalog/index.ts';

const { probeJob } = estate;

/** Families a text exposition declares (`# TYPE name type`). */
/** Metric name → type; OpenMetrics (prom-client's exposition, for exemplars) names a counter's family without `_total`. */
function families(text: string): Map<string, string> {
  return new Map(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [
      type === 'counter' && !name!.endsWith('_total') ? `${name}_total` : name!,
      type!,
    ]),
  );
}

async function get(url: string, timeoutMs = 5000): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, text: await response.text() };
}

async function post(
  service: SampleService,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${service.controlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the environments the sample service poses as', () => {
  it('are the values of the catalogue’s dimension on the environment label, in order', () => {
    expect(environmentsOf(estate)).toEqual(environments);
  });

  it('are an error, saying what to declare, when the catalogue declares no such dimension', () => {
    expect(() => environmentsOf({ ...estate, catalog: defineCatalog([]) })).toThrow(
      /no enabled dimension with values on the "environment" label: list the environments in defineDimensions\(\)/,
    );
  });
});

describe('the sample service posing as the organisation’s services', () => {
  let service: SampleService;

  beforeAll(async () => {
    service = await startSampleService({ estate, traffic: false, seed: 7 });
    await Promise.all(service.traffic.tick(5));
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('poses as every service in each environment: production with the catalogue’s instances, staging with one', () => {
    expect(environments).toEqual(['production', 'staging']);
    for (const { job } of estate.services) {
      const of = (environment: string) =>
        service.targets.filter((t) => t.job === job.name && t.environment === environment);
      expect(of('production'), job.name).toHaveLength(job.instances);
      expect(of('staging'), job.name).toHaveLength(1);
      expect(service.targets.filter((t) => t.job === job.name)).toHaveLength(job.instances + 1);
    }
    expect(service.targets.filter((t) => t.kind === 'exporter' || t.kind === 'blackbox')).toEqual([]);
  });

  it('exposes the environment as the services do: OpenTelemetry’s resource on every series, prom-client none (the targets carry it)', async () => {
    for (const target of service.targets.filter((t) => t.kind === 'prom-client' || t.kind === 'otel')) {
      const text = (await get(`http://${target.address}/metrics`)).text;
      const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      const values = (label: string) => [
        ...new Set(samples.map((line) => new RegExp(`[{,]${label}="([^"]*)"`).exec(line)?.[1])),
      ];
      const where = `${target.job} ${target.address}`;
      if (target.kind === 'otel')
        expect(values('deployment_environment_name'), where).toEqual([target.environment]);
      expect(values('environment'), where).toEqual([undefined]);
    }
  });

  it('applies a fault selected by environment to that environment’s instances only', async () => {
    const orders = service.targets.filter((t) => t.service === 'orders');
    const { status, json } = await post(service, {
      target: { job: 'orders', environment: 'staging' },
      errorRatio: 1,
    });
    expect(status).toBe(201);
    try {
      for (const target of orders) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, () => get(`http://${target.address}/api/orders`)),
        );
        const failed = answers.filter((a) => a.status >= 500).length;
        if (target.environment === 'staging') expect(failed, target.address).toBe(10);
        else expect(failed, target.address).toBeLessThan(3);
      }
    } finally {
      await fetch(`${service.controlUrl}/faults/${json.id}`, { method: 'DELETE' });
    }
    const unknown = await post(service, { target: { job: 'orders', environment: 'dev' }, errorRatio: 1 });
    expect(unknown).toEqual({ status: 400, json: { error: 'no target of job orders in dev' } });
  });

  it('gives the blackbox exporter one healthy URL per catalogue instance of its job, production’s', async () => {
    const urls = probeTargetsOf(estate, service.targets);
    expect(urls).toHaveLength(probeJob.instances);
    for (const url of urls) expect((await get(url)).status, url).toBe(200);
    const probed = urls.flatMap((url) => service.targets.filter((t) => t.address === new URL(url).host));
    const services = probed.filter((t) => t.service !== undefined);
    expect(services.map((t) => t.service)).toEqual(estate.services.map((s) => s.name));
    expect(new Set(services.map((t) => t.environment))).toEqual(new Set(['production']));
  });

  it('exposes exactly the catalogue metrics of each job, with their types', async () => {
    for (const target of service.targets.filter((t) => t.kind !== 'site')) {
      const exposed = families((await get(`http://${target.address}/metrics`)).text);
      const declared = metricsOfJob(estate, target.job);
      expect([...exposed.keys()].sort(), `${target.job} ${target.address}`).toEqual(
        declared.map((m) => m.name).sort(),
      );
      for (const metric of declared) expect(exposed.get(metric.name), metric.name).toBe(metric.type);
    }
  });

  it('serves real requests that its instrumentation counts, with zero-initialised server errors', async () => {
    const target = service.targets.find((t) => t.kind === 'prom-client')!;
    const text = (await get(`http://${target.address}/metrics`)).text;
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/[a-z-]+",status_code="200",service="[a-z-]+"\} [1-9]/,
    );
    expect(text).toMatch(/status_code="500"[^}]*\} 0/);
    const otel = service.targets.find((t) => t.kind === 'otel')!;
    expect((await get(`http://${otel.address}/metrics`)).text).toMatch(
      /http_server_request_duration_seconds_count\{http_request_method="[A-Z]+"/,
    );
  });

  it('answers with server errors at the injected ratio', async () => {
    const target = service.targets.find((t) => t.service === 'orders')!;
    const { status, json } = await post(service, {
      target: { job: 'orders', instance: target.address },
      errorRatio: 1,
    });
    expect(status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => get(`http://${target.address}/api/orders`)),
    );
    expect(answers.every((a) => a.status >= 500)).toBe(true);
    await fetch(`${service.controlUrl}/faults/${json.id}`, { method: 'DELETE' });
    const after = await Promise.all(
      Array.from({ length: 20 }, () => get(`http://${target.address}/api/orders`)),
    );
    expect(after.filter((a) => a.status >= 500).length).toBeLessThan(3);
  });

  it('stops exposing a hidden metric and stops answering when unresponsive', async () => {
    const target = service.targets.find((t) => t.kind === 'prom-client')!;
    const at = { job: target.job, instance: target.address };
    await post(service, { target: at, hiddenMetrics: ['http_requests_total'] });
    const hidden = families((await get(`http://${target.address}/metrics`)).text);
    expect(hidden.has('http_requests_total')).toBe(false);
    expect(hidden.has('http_request_duration_seconds')).toBe(true);
    await post(service, { target: at, unresponsive: true });
    await expect(get(`http://${target.address}/metrics`, 500)).rejects.toThrow();
    await fetch(`${service.controlUrl}/faults`, { method: 'DELETE' });
    expect((await get(`http://${target.address}/metrics`)).status).toBe(200);
  });

  it('rejects a fault for a job it does not serve, and a malformed one', async () => {
    expect((await post(service, { target: { job: 'nonexistent' }, errorRatio: 1 })).status).toBe(400);
    const bad = await post(service, { target: { job: 'orders' }, errorRatio: 2 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('errorRatio');
  });
});

describe('the sample service scraped by the pinned Prometheus', () => {
  let service: SampleService;
  let prometheus: RunningServer;
  let dir: string;

  beforeAll(async () => {
    service = await startSampleService({ estate, seed: 3 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'sample-service-'));
    const jobs = [...new Set(service.targets.filter((t) => t.kind !== 'site').map((t) => t.job))];
    // As rules/prometheus.ts lists them: each environment's targets labelled with it.
    const staticConfigs = (job: string) => {
      const own = service.targets.filter((t) => t.job === job);
      return [...new Set(own.map((t) => t.environment))].map((environment) => ({
        targets: own.filter((t) => t.environment === environment).map((t) => t.address),
        ...(environment && { labels: { environment } }),
      }));
    };
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: jobs.map((job) => ({ job_name: job, static_configs: staticConfigs(job) })),
    };
    await writeFile(path.join(dir, 'prometheus.yml'), stringify(config));
    prometheus = await startPrometheus(path.join(dir, 'prometheus.yml'), path.join(dir, 'data'));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is scraped healthy and its traffic shows in rates', async () => {
    const query = async (expr: string) => {
      const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return ((await response.json()) as { data: { result: Array<{ value: [number, string] }> } }).data
        .result;
    };
    const deadline = Date.now() + 30_000;
    let rate = 0;
    while (Date.now() < deadline) {
      const [down] = await query('count(up == 0) or vector(0)');
      const [requests] = await query('sum(rate(http_requests_total[5s]))');
      rate = Number(requests?.value[1] ?? 0);
      if (Number(down!.value[1]) === 0 && rate > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(rate).toBeGreaterThan(0);
    const [targets] = await query('count(up == 1)');
    expect(Number(targets!.value[1])).toBe(service.targets.filter((t) => t.kind !== 'site').length);
  });

  it('has one environment on every series of a service, the target’s, and no exported_environment', async () => {
    const query = async (expr: string) => {
      const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return ((await response.json()) as { data: { result: Array<{ metric: Record<string, string> }> } }).data
        .result;
    };
    const services = new Set(estate.services.map((s) => s.name));
    const perInstance = await query('count by (job, instance, environment) ({environment!=""})');
    const expected = service.targets
      .filter((t) => t.service !== undefined && services.has(t.job))
      .map((t) => `${t.job} ${t.address} ${t.environment}`)
      .sort();
    expect(perInstance.map(({ metric: m }) => `${m.job} ${m.instance} ${m.environment}`).sort()).toEqual(
      expected,
    );
    expect(await query('{exported_environment!=""}')).toEqual([]);
  });
});
