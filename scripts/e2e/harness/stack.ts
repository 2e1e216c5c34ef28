import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inhibitionTestConfig, startWebhookSink, type WebhookSink } from '@o11y/alertmanager';
import { build, loadDefinitions } from '@o11y/build';
import {
  type Definition,
  kindOf,
  type ProjectModel,
  type RunningServer,
  startAlertmanager,
  startPrometheus,
  startServer,
} from '@o11y/core';
import {
  KIND,
  type PrometheusConfig,
  prometheusConfig,
  prometheusYaml,
  scrapeJob,
  TEST_PROFILE,
} from '@o11y/rules';
import type { FaultSpec, FaultTarget, TargetInfo } from '@o11y/sample-service';
import { parse, stringify } from 'yaml';
import { DEFAULT_SCRAPE_INTERVAL_MS, parseInterval } from './grafana.ts';
import { loadProjectModel } from './model.ts';
import { PrometheusApi } from './prometheus-api.ts';

const SAMPLE_SERVICE_MAIN = fileURLToPath(
  new URL('../../../packages/sample-service/src/main.ts', import.meta.url),
);
/** Alertmanager notifies within a second of a change, so firing and resolution show up quickly. */
const LIVE_GROUP_TIMING = '1s';

export interface Stack {
  readonly root: string;
  readonly distDir: string;
  /** The organisation's definitions, as written (real-time durations). */
  readonly definitions: readonly Definition[];
  /** What the test profile deploys: dashboards, and rule groups with their compressed durations. */
  readonly model: ProjectModel;
  readonly prometheus: PrometheusApi;
  readonly alertmanagerUrl: string;
  readonly sink: WebhookSink;
  readonly targets: readonly TargetInfo[];
  /** The scrape interval Grafana's Prometheus data source is configured with. */
  readonly grafanaScrapeIntervalMs: number;
  injectFault(target: FaultTarget, fault: FaultSpec): Promise<number>;
  clearFaults(): Promise<void>;
  /** The last lines Prometheus, Alertmanager and the sample service printed, for failure reports. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

/**
 * The organisation's Prometheus config with its scrape targets pointed at the sample service's
 * listeners and its Alertmanager at ours, rendered by the rules package for the `test` profile.
 * A job that relabels `__address__` (the blackbox exporter) keeps its probes and is sent to ours.
 */
export function retargetedConfig(
  config: PrometheusConfig,
  targets: readonly TargetInfo[],
  alertmanager: string,
): PrometheusConfig {
  const missing: string[] = [];
  const jobs = config.jobs.map((job) => {
    const own = targets.filter((t) => t.job === job.name);
    if (own.length === 0) {
      missing.push(job.name);
      return job;
    }
    const prober = job.relabel?.some((r) => r.targetLabel === '__address__');
    const { name: _name, source: _source, ...options } = job;
    return scrapeJob({
      ...options,
      targets: prober ? [...(own[0]!.probeTargets ?? [])] : own.map((t) => t.address),
      ...(prober && {
        relabel: job.relabel!.map((r) =>
          r.targetLabel === '__address__' ? { ...r, replacement: own[0]!.address } : r,
        ),
      }),
      ...(!prober && own[0]!.metricsPath !== '/metrics' && { metricsPath: own[0]!.metricsPath }),
    });
  });
  if (missing.length > 0) {
    throw new Error(`the sample service poses as no target of the scrape jobs ${missing.join(', ')}`);
  }
  // Nothing leaves the machine: the test stack drops remote write.
  const { source: _source, remoteWrite: _remoteWrite, ...options } = config;
  return prometheusConfig({ ...options, jobs, alertmanagers: [alertmanager] });
}

/** The Alertmanager config under test with every receiver posting to the sink, resolved alerts included. */
export function liveAlertmanagerConfig(document: Json, sinkUrl: string): Json {
  const config = inhibitionTestConfig(document, sinkUrl);
  const retime = (route: Json): Json => ({
    ...route,
    group_wait: LIVE_GROUP_TIMING,
    group_interval: LIVE_GROUP_TIMING,
    ...(Array.isArray(route.routes) && { routes: (route.routes as Json[]).map(retime) }),
  });
  return {
    ...config,
    route: retime(config.route as Json),
    receivers: (config.receivers as Json[]).map((receiver) => ({
      ...receiver,
      ...(Array.isArray(receiver.webhook_configs) && {
        webhook_configs: (receiver.webhook_configs as Json[]).map((w) => ({ ...w, send_resolved: true })),
      }),
    })),
  };
}

async function grafanaScrapeInterval(distDir: string): Promise<number> {
  const file = path.join(distDir, 'grafana', 'provisioning', 'datasources', 'o11y.yaml');
  const document = parse(await readFile(file, 'utf8')) as {
    datasources?: Array<{ type?: string; jsonData?: { timeInterval?: string } }>;
  };
  const prometheus = document.datasources?.find((d) => d.type === 'prometheus');
  return prometheus?.jsonData?.timeInterval
    ? parseInterval(prometheus.jsonData.timeInterval)
    : DEFAULT_SCRAPE_INTERVAL_MS;
}

/**
 * Builds the organisation with the `test` profile into a temporary directory and starts, on
 * 127.0.0.1 with free ports: the sample service, the webhook sink, the pinned Alertmanager with the
 * built config pointed at the sink, and the pinned Prometheus with the built rules scraping the
 * service. Anything started is stopped again if a later step fails.
 */
export async function startStack(root: string, log: (line: string) => void): Promise<Stack> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'o11y-e2e-'));
  const running: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const item of running.reverse()) await item.stop().catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  try {
    const distDir = path.join(work, 'dist');
    log('e2e: building the organisation with the test profile');
    await build({ root, out: distDir, profile: TEST_PROFILE.name });
    const definitions = await loadDefinitions(root);
    const model = await loadProjectModel(root, definitions, TEST_PROFILE.name);

    const sink = await startWebhookSink();
    running.push({ stop: () => sink.close() });

    log('e2e: starting the sample service');
    const service: RunningServer = await startServer({
      binary: process.execPath,
      args: (port) => ['--import', 'tsx', SAMPLE_SERVICE_MAIN, '--port', String(port)],
      readyPath: '/ready',
      cwd: root,
    });
    running.push(service);
    const targets = (await (await fetch(`${service.url}/targets`)).json()) as TargetInfo[];

    log('e2e: starting Alertmanager');
    const amDocument = parse(
      await readFile(path.join(distDir, 'alertmanager', 'alertmanager.yml'), 'utf8'),
    ) as Json;
    const amFile = path.join(work, 'alertmanager.yml');
    await writeFile(amFile, stringify(liveAlertmanagerConfig(amDocument, sink.url)));
    const alertmanager = await startAlertmanager(amFile, path.join(work, 'alertmanager-data'));
    running.push(alertmanager);

    log('e2e: starting Prometheus');
    const built = parse(await readFile(path.join(distDir, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files?: string[];
    };
    const orgConfig = definitions.find((d) => kindOf(d) === KIND.config) as PrometheusConfig | undefined;
    if (!orgConfig)
      throw new Error('the organisation defines no Prometheus config (prometheusConfig() under rules/)');
    const config = retargetedConfig(orgConfig, targets, new URL(alertmanager.url).host);
    const promFile = path.join(distDir, 'prometheus', 'e2e-prometheus.yml');
    await writeFile(promFile, stringify(prometheusYaml(config, built.rule_files ?? [], TEST_PROFILE.name)));
    await mkdir(path.join(work, 'prometheus-data'), { recursive: true });
    const prometheus = await startPrometheus(promFile, path.join(work, 'prometheus-data'));
    running.push(prometheus);

    return {
      root,
      distDir,
      definitions,
      model,
      prometheus: new PrometheusApi(prometheus.url),
      alertmanagerUrl: alertmanager.url,
      sink,
      targets,
      grafanaScrapeIntervalMs: await grafanaScrapeInterval(distDir),
      async injectFault(target, fault) {
        const response = await fetch(`${service.url}/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ target, ...fault }),
        });
        const body = (await response.json()) as { id?: number; error?: string };
        if (!response.ok || body.id === undefined)
          throw new Error(`the sample service refused the fault: ${body.error}`);
        return body.id;
      },
      async clearFaults() {
        await fetch(`${service.url}/faults`, { method: 'DELETE' });
      },
      logs: (lines = 30) =>
        [
          `--- Prometheus (last ${lines} lines)`,
          prometheus.logTail(lines),
          `--- Alertmanager (last ${lines} lines)`,
          alertmanager.logTail(lines),
          `--- sample service (last ${lines} lines)`,
          service.logTail(lines),
        ].join('\n'),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
