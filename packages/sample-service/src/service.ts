import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Estate } from './estate.ts';
import { Faults, FaultValidationError, parseFault } from './faults.ts';
import { Random } from './random.ts';
import { startTargets, type Target, type TargetInfo } from './targets.ts';
import { otlpTracing } from './tracing.ts';
import { TrafficGenerator } from './traffic.ts';

export interface SampleServiceOptions {
  /** What to pose as: the organisation's services, exporters and probes, from its catalogue. */
  readonly estate: Estate;
  /** Port of the control API on 127.0.0.1; 0 picks a free one. */
  readonly controlPort?: number;
  /** Seed of every random choice (latencies, statuses, routes), so a run can be replayed. */
  readonly seed?: number;
  /** Start the traffic generator (default true). */
  readonly traffic?: boolean;
  /**
   * OTLP/HTTP endpoint (`http://host:port`, e.g. an OpenTelemetry Collector's) the service instances
   * send a server span per API request to; without it no spans are recorded (and no exemplars kept).
   */
  readonly otlpEndpoint?: string;
  /**
   * Share of requests traced (default 0.1): one process posing as dozens of instances on a busy
   * machine would otherwise spend much of its time exporting spans.
   */
  readonly traceSampleRatio?: number;
}

export interface SampleService {
  /** `http://127.0.0.1:port` of the control API. */
  readonly controlUrl: string;
  readonly targets: readonly TargetInfo[];
  readonly faults: Faults;
  readonly traffic: TrafficGenerator;
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new FaultValidationError('the body is not valid JSON');
  }
}

/**
 * The control API: `GET /targets` (what to scrape), `GET /faults`, `POST /faults` (inject one;
 * answers its id), `DELETE /faults/<id>`, `DELETE /faults` (remove all), `GET /ready`.
 */
function controlHandler(service: Omit<SampleService, 'controlUrl' | 'stop'>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (req.method === 'GET' && path === '/ready') return json(res, 200, { ready: true });
      if (req.method === 'GET' && path === '/targets') return json(res, 200, service.targets);
      if (req.method === 'GET' && path === '/faults') return json(res, 200, service.faults.list());
      if (req.method === 'GET' && path === '/stats')
        return json(res, 200, { requestsSent: service.traffic.sent });
      if (req.method === 'POST' && path === '/faults') {
        const fault = parseFault(await readJson(req));
        const { job, instance, environment } = fault.target;
        const known = service.targets.some(
          (t) =>
            t.job === job &&
            (!instance || t.address === instance) &&
            (!environment || t.environment === environment),
        );
        if (!known)
          throw new FaultValidationError(
            [`no target of job ${job}`, instance, environment && `in ${environment}`]
              .filter(Boolean)
              .join(' '),
          );
        return json(res, 201, service.faults.add(fault));
      }
      if (req.method === 'DELETE' && path === '/faults') {
        service.faults.clear();
        return json(res, 200, { removed: 'all' });
      }
      const one = /^\/faults\/(\d+)$/.exec(path);
      if (req.method === 'DELETE' && one) {
        return service.faults.remove(Number(one[1]))
          ? json(res, 200, { removed: Number(one[1]) })
          : json(res, 404, { error: 'no such fault' });
      }
      return json(res, 404, { error: `no ${req.method} ${path}` });
    } catch (error) {
      if (error instanceof FaultValidationError) return json(res, 400, { error: error.message });
      return json(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  };
}

/** Starts every target of the estate, the traffic generator and the control API. */
export async function startSampleService(options: SampleServiceOptions): Promise<SampleService> {
  const faults = new Faults();
  const random = new Random(options.seed ?? 1);
  const startedAt = Date.now();
  const tracing =
    options.otlpEndpoint === undefined
      ? undefined
      : otlpTracing(options.otlpEndpoint, options.traceSampleRatio ?? 0.1);
  const targets: Target[] = await startTargets({
    estate: options.estate,
    faults,
    random,
    startedAt,
    now: Date.now,
    sleep: (ms) => sleep(ms),
    ...(tracing && { tracing }),
  });
  const infos = targets.map((t) => t.info());
  const traffic = new TrafficGenerator(
    infos.flatMap((info) => {
      const service = options.estate.services.find((s) => s.name === info.service);
      return service ? [{ service, address: info.address }] : [];
    }),
    random,
  );
  const control: Server = createServer(controlHandler({ targets: infos, faults, traffic }));
  try {
    await new Promise<void>((resolve, reject) => {
      control.once('error', reject);
      control.listen(options.controlPort ?? 0, '127.0.0.1', resolve);
    });
  } catch (error) {
    await Promise.all(targets.map((t) => t.close()));
    await tracing?.shutdown();
    throw error;
  }
  if (options.traffic !== false) traffic.start();
  const { port } = control.address() as AddressInfo;
  return {
    controlUrl: `http://127.0.0.1:${port}`,
    targets: infos,
    faults,
    traffic,
    async stop() {
      traffic.stop();
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await Promise.all(targets.map((t) => t.close()));
      await tracing?.shutdown();
    },
  };
}
