import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inhibitionTestConfig, startWebhookSink, type WebhookSink } from '@o11y/alertmanager';
import { build, loadDefinitions, projectModel } from '@o11y/build';
import {
  type Definition,
  DIST,
  isDefinition,
  kindOf,
  type ProjectModel,
  type RunningServer,
  startAlertmanager,
  startPrometheus,
  startServer,
} from '@o11y/core';
import { STACK_KIND } from '@o11y/dashboards';
import { type DashboardJson, DEFAULT_SCRAPE_INTERVAL } from '@o11y/preview';
import { publishAlertmanagerConfigApi, publishRuler, readDistTree, treeFromFiles } from '@o11y/publish';
import { startCortex } from '@o11y/publish/testing';
import {
  KIND,
  type PrometheusConfig,
  prometheusConfig,
  prometheusYaml,
  type ScrapeJob,
  scrapeJob,
  type TargetGroup,
  TEST_PROFILE,
  targetGroups,
} from '@o11y/rules';
import { type FaultSpec, type FaultTarget, probeTargetsOf, type TargetInfo } from '@o11y/sample-service';
import { parse, stringify } from 'yaml';
import { estate } from '../../../catalog/estate.ts';
// The organisation's exporter jobs, which the real exporters stand for.
import {
  blackboxJob,
  nodeExporterJob,
  postgresExporterJob,
  redisExporterJob,
} from '../../../catalog/index.ts';
import type { BuiltDashboardModel } from './dashboard-queries.ts';
import { type RealExporters, startRealExporters } from './exporters.ts';
import { PrometheusApi } from './prometheus-api.ts';
import { startTracing, type Tracing } from './traces.ts';

const SAMPLE_SERVICE_MAIN = fileURLToPath(
  new URL('../../../packages/sample-service/src/main.ts', import.meta.url),
);
/** Alertmanager notifies within a second of a change, so firing and resolution show up quickly. */
const LIVE_GROUP_TIMING = '1s';
/** The test profile's evaluation interval (its groups set none), for Cortex's ruler too. */
const LIVE_EVALUATION_INTERVAL = '1s';

/** Remote write sends within a second (Prometheus's default waits up to 5 s to fill a batch). */
function withPromptRemoteWrite(config: Json): Json {
  const remoteWrite = (config.remote_write ?? []) as Json[];
  return {
    ...config,
    remote_write: remoteWrite.map((r) => ({ ...r, queue_config: { batch_send_deadline: '1s' } })),
  };
}

/**
 * `single`: one Prometheus runs the rules and sends alerts to one Alertmanager. `distributed`: the
 * Prometheus only scrapes and remote-writes to Cortex, whose ruler runs the rules (published with
 * `publishRuler`) and sends alerts to its own Alertmanager (configured with
 * `publishAlertmanagerConfigApi`); rules, alerts and panel queries are read through Cortex's API.
 */
export type StackProfile = 'single' | 'distributed';
export const STACK_PROFILES: readonly StackProfile[] = ['single', 'distributed'];

export interface Stack {
  readonly profile: StackProfile;
  readonly root: string;
  readonly distDir: string;
  /** The organisation's definitions, as written (real-time durations). */
  readonly definitions: readonly Definition[];
  /**
   * What the test profile deploys: dashboards (with the JSON the build wrote for each), and rule groups
   * with their compressed durations.
   */
  readonly model: Omit<ProjectModel, 'dashboards'> & { readonly dashboards: readonly BuiltDashboardModel[] };
  /** The scraping Prometheus: its targets. */
  readonly prometheus: PrometheusApi;
  /** Where rules, alerts and queries are read: the Prometheus, or Cortex's Prometheus API. */
  readonly query: PrometheusApi;
  readonly sink: WebhookSink;
  readonly targets: readonly TargetInfo[];
  /** The real node, postgres, redis and blackbox exporters (over a real PostgreSQL and Redis). */
  readonly exporters: RealExporters;
  /** Jaeger and the OpenTelemetry Collector the sample service sends its spans through. */
  readonly tracing: Tracing;
  /** The scrape interval Grafana's Prometheus data source is configured with. */
  readonly grafanaScrapeInterval: string;
  injectFault(target: FaultTarget, fault: FaultSpec): Promise<number>;
  clearFaults(): Promise<void>;
  /** The last lines every program of the stack printed, for failure reports. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

/**
 * The sample service's instances of a job in the job's target groups: each environment's instances
 * where the organisation lists that environment's targets, with its labels (the environment dimension).
 */
function instancesOf(job: ScrapeJob, own: readonly TargetInfo[]): TargetGroup[] {
  const label = estate.http['prom-client'].labels.environment;
  const groups = targetGroups(job);
  const remaining = new Set(own);
  const placed = groups.map((group) => {
    const environment = group.labels[label];
    const instances = own.filter((t) => remaining.has(t) && t.environment === environment);
    for (const t of instances) remaining.delete(t);
    return { targets: instances.map((t) => t.address), labels: group.labels };
  });
  if (remaining.size > 0 || placed.some((group) => group.targets.length === 0)) {
    throw new Error(
      `the scrape job ${job.name} lists ${groups.length} target groups, which the sample service's instances (${own
        .map((t) => `${t.address} in ${t.environment ?? 'no environment'}`)
        .join(', ')}) do not match one to one`,
    );
  }
  return placed;
}

/**
 * The organisation's Prometheus config with its scrape targets pointed at the sample service's
 * listeners and its Alertmanager at ours, rendered by the rules package for the `test` profile.
 * A job that relabels `__address__` (the blackbox exporter) keeps its probes and is sent to ours.
 */
export function retargetedConfig(
  config: PrometheusConfig,
  targets: readonly TargetInfo[],
  send: { readonly alertmanager: string } | { readonly remoteWrite: string },
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
      targets: prober ? [...(own[0]!.probeTargets ?? [])] : instancesOf(job, own),
      ...(prober && {
        relabel: job.relabel!.map((r) =>
          r.targetLabel === '__address__' ? { ...r, replacement: own[0]!.address } : r,
        ),
      }),
      ...(!prober && own[0]!.metricsPath !== '/metrics' && { metricsPath: own[0]!.metricsPath }),
    });
  });
  if (missing.length > 0) {
    throw new Error(`the stack runs no target of the scrape jobs ${missing.join(', ')}`);
  }
  // Nothing leaves the machine: remote write goes to the stack's Cortex, or nowhere.
  const { source: _source, remoteWrite: _remoteWrite, alertmanagers: _alertmanagers, ...options } = config;
  return prometheusConfig({
    ...options,
    jobs,
    alertmanagers: 'alertmanager' in send ? [send.alertmanager] : [],
    ...('remoteWrite' in send && { remoteWrite: [{ name: 'cortex', url: send.remoteWrite }] }),
  });
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

async function grafanaScrapeInterval(distDir: string): Promise<string> {
  const file = path.join(distDir, 'grafana', 'provisioning', 'datasources', 'o11y.yaml');
  const document = parse(await readFile(file, 'utf8')) as {
    datasources?: Array<{ type?: string; jsonData?: { timeInterval?: string } }>;
  };
  const prometheus = document.datasources?.find((d) => d.type === 'prometheus');
  return prometheus?.jsonData?.timeInterval || DEFAULT_SCRAPE_INTERVAL;
}

/**
 * How the build imports definition modules: as usual, except that the organisation's Grafana stack
 * gets the running Jaeger's URL, so the provisioned Jaeger datasource (and the Prometheus datasource's
 * exemplar links to it) point at traces that exist.
 */
function withJaegerAt(jaegerUrl: string): (file: string) => Promise<Record<string, unknown>> {
  const replaced = new Map<Definition, Definition>();
  return async (file) => {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(exports).map(([name, value]) => {
        if (!isDefinition(value) || kindOf(value) !== STACK_KIND) return [name, value];
        // One replacement per stack object, so a re-exported stack stays one definition.
        if (!replaced.has(value)) replaced.set(value, Object.freeze({ ...value, jaegerUrl }));
        return [name, replaced.get(value)];
      }),
    );
  };
}

/**
 * Cortex's Alertmanager serves a tenant only once it has loaded the configuration stored through the
 * API (on its next poll); until then it answers 404 to the ruler, which sends a firing alert again only
 * after its resend delay (1m), later than the alert tests wait.
 */
async function untilAlertmanagerServes(cortexUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${cortexUrl}/alertmanager/api/v2/status`);
    await response.body?.cancel();
    if (response.ok) return;
    if (Date.now() > deadline)
      throw new Error(
        `Cortex's Alertmanager still answers ${response.status} ${timeoutMs / 1000} s after its configuration was published`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Builds the organisation with the `test` profile into a temporary directory and starts, on
 * 127.0.0.1 with free ports: the sample service, the webhook sink, the pinned Alertmanager with the
 * built config pointed at the sink, and the pinned Prometheus with the built rules scraping the
 * service. Anything started is stopped again if a later step fails.
 */
export async function startStack(
  root: string,
  log: (line: string) => void,
  profile: StackProfile = 'single',
): Promise<Stack> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'o11y-e2e-'));
  const running: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const item of running.reverse()) await item.stop().catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  try {
    log('e2e: starting Jaeger and the OpenTelemetry Collector');
    const tracing = await startTracing(path.join(work, 'tracing'));
    running.push(tracing);
    const distDir = path.join(work, 'dist');
    log('e2e: building the organisation with the test profile');
    await build({
      root,
      out: distDir,
      profile: TEST_PROFILE.name,
      importModule: withJaegerAt(tracing.jaegerUrl),
    });
    const definitions = await loadDefinitions(root);
    const modelled = await projectModel({ root, definitions, profile: TEST_PROFILE.name, log: () => {} });
    const model = {
      ...modelled,
      dashboards: await Promise.all(
        modelled.dashboards.map(async (dashboard) => {
          const file = path.join(distDir, DIST.grafana.dashboard(dashboard.folder, dashboard.uid));
          return { ...dashboard, json: JSON.parse(await readFile(file, 'utf8')) as DashboardJson };
        }),
      ),
    };

    const sink = await startWebhookSink();
    running.push({ stop: () => sink.close() });

    log('e2e: starting the sample service');
    const service: RunningServer = await startServer({
      binary: process.execPath,
      args: (port) => [
        '--import',
        'tsx',
        SAMPLE_SERVICE_MAIN,
        '--port',
        String(port),
        '--otlp-endpoint',
        tracing.otlpEndpoint,
      ],
      readyPath: '/ready',
      cwd: root,
    });
    running.push(service);
    const serviceTargets = (await (await fetch(`${service.url}/targets`)).json()) as TargetInfo[];

    const orgConfig = definitions.find((d) => kindOf(d) === KIND.config) as PrometheusConfig | undefined;
    if (!orgConfig)
      throw new Error('the organisation defines no Prometheus config (prometheusConfig() under rules/)');
    log('e2e: starting PostgreSQL, Redis and the node, postgres, redis and blackbox exporters');
    const exporters = await startRealExporters(
      path.join(work, 'exporters'),
      {
        node: nodeExporterJob.name,
        postgres: postgresExporterJob.name,
        redis: redisExporterJob.name,
        blackbox: blackboxJob.name,
      },
      {
        modules: orgConfig.jobs.find((j) => j.name === blackboxJob.name)?.params?.module ?? ['http_2xx'],
        targets: probeTargetsOf(estate, serviceTargets),
      },
    );
    running.push(exporters);
    const targets = [...serviceTargets, ...exporters.targets];

    const amDocument = parse(
      await readFile(path.join(distDir, 'alertmanager', 'alertmanager.yml'), 'utf8'),
    ) as Json;
    const liveAmConfig = stringify(liveAlertmanagerConfig(amDocument, sink.url));
    const built = parse(await readFile(path.join(distDir, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files?: string[];
    };
    const promFile = path.join(distDir, 'prometheus', 'e2e-prometheus.yml');
    let query: PrometheusApi;
    const serverLogs: Array<[string, RunningServer]> = [];
    if (profile === 'distributed') {
      log('e2e: starting Cortex; publishing the rules to its ruler and the Alertmanager config');
      const cortex = await startCortex(path.join(work, 'cortex'), {
        evaluationInterval: LIVE_EVALUATION_INTERVAL,
        pollInterval: LIVE_EVALUATION_INTERVAL,
      });
      running.push(cortex);
      serverLogs.push(['Cortex', cortex]);
      await publishAlertmanagerConfigApi({
        url: cortex.url,
        tree: treeFromFiles({ 'alertmanager/alertmanager.yml': liveAmConfig }),
      });
      await publishRuler({ url: cortex.url, api: 'cortex', tree: await readDistTree(distDir) });
      await untilAlertmanagerServes(cortex.url);
      const config = retargetedConfig(orgConfig, targets, { remoteWrite: `${cortex.url}/api/v1/push` });
      await writeFile(
        promFile,
        stringify(withPromptRemoteWrite(prometheusYaml(config, [], TEST_PROFILE.name))),
      );
      query = new PrometheusApi(`${cortex.url}/prometheus`);
    } else {
      log('e2e: starting Alertmanager');
      const amFile = path.join(work, 'alertmanager.yml');
      await writeFile(amFile, liveAmConfig);
      const alertmanager = await startAlertmanager(amFile, path.join(work, 'alertmanager-data'));
      running.push(alertmanager);
      serverLogs.push(['Alertmanager', alertmanager]);
      const config = retargetedConfig(orgConfig, targets, { alertmanager: new URL(alertmanager.url).host });
      await writeFile(promFile, stringify(prometheusYaml(config, built.rule_files ?? [], TEST_PROFILE.name)));
    }
    log('e2e: starting Prometheus');
    await mkdir(path.join(work, 'prometheus-data'), { recursive: true });
    // Exemplars (trace ids on latency histograms) are kept only with this feature; in both profiles
    // they are read from this Prometheus, which scrapes them.
    const prometheus = await startPrometheus(promFile, path.join(work, 'prometheus-data'), [
      '--enable-feature=exemplar-storage',
    ]);
    running.push(prometheus);
    serverLogs.unshift(['Prometheus', prometheus]);
    const scraper = new PrometheusApi(prometheus.url);
    query ??= scraper;

    return {
      profile,
      root,
      distDir,
      definitions,
      model,
      prometheus: scraper,
      query,
      sink,
      targets,
      exporters,
      tracing,
      grafanaScrapeInterval: await grafanaScrapeInterval(distDir),
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
          ...serverLogs.flatMap(([name, server]) => [
            `--- ${name} (last ${lines} lines)`,
            server.logTail(lines),
          ]),
          `--- sample service (last ${lines} lines)`,
          service.logTail(lines),
          exporters.logs(lines),
          tracing.logs(lines),
        ].join('\n'),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
