import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Service } from '@o11y/catalog';
import { type LocalServer, listenLocal } from '@o11y/core';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { type Estate, environmentsOf, metricsOfJob, replicasIn } from './estate.ts';
import { withoutFamilies } from './exposition.ts';
import type { FaultEffect, Faults } from './faults.ts';
import {
  type Instrumentation,
  otelInstrumentation,
  promClientInstrumentation,
  type SimulationContext,
} from './instrumentation.ts';
import type { Random } from './random.ts';
import { HEALTH_PATH, METRICS_PATH, matchRoute, type Route, routesOf, SERVER_ERRORS } from './routes.ts';
import type { Tracing } from './tracing.ts';

export type TargetKind = 'prom-client' | 'otel' | 'exporter' | 'blackbox' | 'site';

/** What Prometheus needs to scrape a target, and what the traffic generator needs to call it. */
export interface TargetInfo {
  readonly job: string;
  readonly kind: TargetKind;
  /** `127.0.0.1:port`: the `instance` label Prometheus gives it. */
  readonly address: string;
  readonly metricsPath: string;
  /** For service instances: the service it poses as. */
  readonly service?: string;
  /** For service instances: the environment it runs in (a value of the catalogue's environment dimension). */
  readonly environment?: string;
  /** For the blackbox exporter: the URLs it is asked to probe (`?target=`), from `probeTargetsOf`. */
  readonly probeTargets?: readonly string[];
}

export interface Target {
  info(): TargetInfo;
  close(): Promise<void>;
}

/** Shared by every target of one service process. */
export interface TargetEnvironment {
  readonly estate: Estate;
  readonly faults: Faults;
  readonly random: Random;
  readonly startedAt: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Where service instances send their spans; none are recorded without it. */
  readonly tracing?: Tracing;
}

/** Share of a service's error budget it spends at rest, so error series and panels have data. */
const BASELINE_BUDGET_SHARE = 0.1;
/** Median latency as a share of the service's latency SLO threshold; the log-normal tail stays under it. */
const MEDIAN_LATENCY_SHARE = 1 / 8;
const LATENCY_SPREAD = 0.6;

function chooseStatus(route: Route, errorRatio: number, random: Random): string {
  const roll = random.next();
  if (roll < errorRatio)
    return random.weighted(
      SERVER_ERRORS.map(([s]) => s),
      SERVER_ERRORS.map(([, w]) => w),
    );
  let threshold = errorRatio;
  for (const [status, share] of route.clientErrors) {
    threshold += share * (1 - errorRatio);
    if (roll < threshold) return status;
  }
  return route.success;
}

/**
 * A listener on 127.0.0.1 with its own port, answering `/metrics` (minus hidden metrics), `/health`
 * and whatever `serve` handles, and applying the "unresponsive" fault to all of it. `deployment` is the
 * environment a service instance runs in, which faults may select.
 */
async function startListener(
  job: string,
  environment: TargetEnvironment,
  exposition: () => Promise<{ text: string; contentType: string }>,
  serve?: (req: IncomingMessage, res: ServerResponse, url: URL, effect: FaultEffect) => Promise<boolean>,
  deployment?: string,
): Promise<{ server: LocalServer; address: string }> {
  let address = '';
  const server = await listenLocal((req, res) => {
    const effect = environment.faults.effectOn(job, address, deployment);
    // A hung process: the connection stays open and nothing is ever written.
    if (effect.unresponsive) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    void (async () => {
      try {
        if (req.method === 'GET' && url.pathname === METRICS_PATH) {
          const { text, contentType } = await exposition();
          res
            .writeHead(200, { 'content-type': contentType })
            .end(withoutFamilies(text, effect.hiddenMetrics));
        } else if (req.method === 'GET' && url.pathname === HEALTH_PATH) {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        } else if (!(await serve?.(req, res, url, effect))) {
          res.writeHead(404).end();
        }
      } catch (error) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${error instanceof Error ? error.message : String(error)}\n`);
      }
    })();
  });
  // Prometheus scrapes every second: keep its connections open between scrapes.
  server.server.keepAliveTimeout = 30_000;
  address = `127.0.0.1:${server.port}`;
  return { server, address };
}

/**
 * One instance of a service in one deployment environment: its REST API with the catalogue's latency
 * and error behaviour, instrumented.
 */
async function startServiceInstance(
  service: Service,
  deployment: string,
  environment: TargetEnvironment,
  simulation: SimulationContext,
): Promise<Target> {
  const routes = routesOf(service);
  const declarations = metricsOfJob(environment.estate, service.job.name);
  const options = {
    ...simulation,
    estate: environment.estate,
    service,
    environment: deployment,
    routes,
    declarations,
  };
  // An instrumentation other than OpenTelemetry's is simulated as prom-client, the Node.js default.
  const kind = service.instrumentation === 'otel' ? 'otel' : 'prom-client';
  const instrumentation: Instrumentation =
    kind === 'otel' ? otelInstrumentation(options) : promClientInstrumentation(options);
  const tracer = environment.tracing?.tracerFor(service.name, `${service.name}-${simulation.context.index}`);
  const baselineErrors = (1 - service.slo.availability) * BASELINE_BUDGET_SHARE;
  const median = service.slo.latency.threshold * MEDIAN_LATENCY_SHARE;
  const { server, address } = await startListener(
    service.job.name,
    environment,
    async () => ({ text: await instrumentation.exposition(), contentType: instrumentation.contentType }),
    async (req, res, url, effect) => {
      const route = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (!route) return false;
      const started = performance.now();
      // The server span as the HTTP instrumentation names it: `{method} {route}`.
      const span = tracer?.startSpan(`${route.method} ${route.path}`, {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: route.method,
          [ATTR_HTTP_ROUTE]: route.path,
          [ATTR_URL_PATH]: url.pathname,
        },
      });
      // Only a sampled request's trace reaches the backend: only its id makes an exemplar worth following.
      const traceId = span?.isRecording() ? span.spanContext().traceId : undefined;
      req.resume();
      const seconds = environment.random.logNormal(median, LATENCY_SPREAD) + effect.addedLatencySeconds;
      await environment.sleep(seconds * 1000);
      const errorRatio = 1 - (1 - baselineErrors) * (1 - effect.errorRatio);
      const status = chooseStatus(route, errorRatio, environment.random);
      res.writeHead(Number(status)).end();
      span?.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, Number(status));
      if (Number(status) >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
      span?.end();
      instrumentation.record({
        method: route.method,
        route: route.path,
        status,
        seconds: (performance.now() - started) / 1000,
        ...(traceId !== undefined && { traceId }),
      });
      return true;
    },
    deployment,
  );
  return {
    info: () => ({
      job: service.job.name,
      kind,
      address,
      metricsPath: METRICS_PATH,
      service: service.name,
      environment: deployment,
    }),
    close: server.stop,
  };
}

/** A site outside the estate (the public web site, the payment provider) that the blackbox exporter probes. */
async function startSite(name: string, environment: TargetEnvironment): Promise<Target> {
  const { server, address } = await startListener(name, environment, async () => ({
    text: '',
    contentType: 'text/plain',
  }));
  return {
    info: () => ({ job: name, kind: 'site', address, metricsPath: HEALTH_PATH }),
    close: server.stop,
  };
}

/**
 * Every target of the sample service: each service instance in each environment (environment by
 * environment, in the catalogue's order) and the external sites. The exporter jobs (node, PostgreSQL,
 * Redis, blackbox) are real programs the end-to-end stack starts beside it.
 */
export async function startTargets(environment: TargetEnvironment): Promise<Target[]> {
  const { services, externalSites } = environment.estate;
  const simulation: Omit<SimulationContext, 'context'> = {
    random: environment.random,
    behaviours: environment.estate.behaviours(environment.startedAt),
    startedAt: environment.startedAt,
    now: environment.now,
  };
  const targets: Target[] = [];
  try {
    const environments = environmentsOf(environment.estate);
    for (const service of services) {
      // Instances are numbered across environments: the index names the instance (`service.instance.id`).
      let index = 0;
      for (const deployment of environments) {
        for (let n = replicasIn(environment.estate, service, deployment); n > 0; n--) {
          const context = { job: service.job.name, index: index++, services: [service.name] };
          targets.push(
            await startServiceInstance(service, deployment, environment, { ...simulation, context }),
          );
        }
      }
    }
    targets.push(...(await Promise.all(externalSites.map((name) => startSite(name, environment)))));
    return targets;
  } catch (error) {
    await Promise.all(targets.map((t) => t.close()));
    throw error;
  }
}

/**
 * What the blackbox exporter probes, one URL per catalogue instance of its job: the health endpoint
 * of each service's first instance in the first environment, and of each external site.
 */
export function probeTargetsOf(estate: Estate, targets: readonly TargetInfo[]): string[] {
  const { services, probeJob } = estate;
  const [probed] = environmentsOf(estate);
  const urls = [
    ...services.map((s) => {
      const first = targets.find((t) => t.service === s.name && t.environment === probed)!;
      return `http://${first.address}${HEALTH_PATH}`;
    }),
    ...targets.filter((t) => t.kind === 'site').map((site) => `http://${site.address}${HEALTH_PATH}`),
  ];
  if (urls.length !== probeJob.instances) {
    throw new Error(
      `the blackbox job probes ${urls.length} URLs but the catalogue declares ${probeJob.instances} instances (${probeJob.source.file}:${probeJob.source.line})`,
    );
  }
  return urls;
}
