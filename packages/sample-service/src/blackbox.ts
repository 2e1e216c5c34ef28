import { request } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import type { Estate } from './estate.ts';

/** How long a probe may take when Prometheus does not say (blackbox_exporter's default module timeout). */
const DEFAULT_TIMEOUT_SECONDS = 5;

interface ProbeTimings {
  readonly status: number;
  readonly connect: number;
  readonly processing: number;
  readonly transfer: number;
}

function httpGet(url: URL, timeoutMs: number): Promise<ProbeTimings> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let connected = started;
    let firstByte = started;
    const req = request(url, { method: 'GET', timeout: timeoutMs, agent: false }, (response) => {
      firstByte = performance.now();
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connect: (connected - started) / 1000,
          processing: (firstByte - connected) / 1000,
          transfer: (performance.now() - firstByte) / 1000,
        }),
      );
      response.on('error', reject);
    });
    req.on('socket', (socket) => socket.once('connect', () => (connected = performance.now())));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The blackbox exporter's `http_2xx` module: a real HTTP GET of `target` within the scrape timeout,
 * reported as the catalogue's probe metrics. Plain-HTTP probes have no certificate, so, like
 * blackbox_exporter, they report no certificate expiry.
 */
export async function probe(
  metrics: Estate['probe'],
  target: string,
  timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
): Promise<Registry> {
  const registry = new Registry();
  const gauge = (entry: { declaration: { name: string; help: string } }, labelNames: string[] = []) =>
    new Gauge({
      name: entry.declaration.name,
      help: entry.declaration.help,
      labelNames,
      registers: [registry],
    });
  const success = gauge(metrics.success);
  const duration = gauge(metrics.duration);
  const dns = gauge(metrics.dnsLookup);
  const started = performance.now();
  let url: URL | undefined;
  try {
    url = new URL(target);
  } catch {
    url = undefined;
  }
  // Targets are IP:port URLs: there is no name to resolve, as blackbox_exporter reports for IPs.
  dns.set(0);
  if (url?.protocol !== 'http:') {
    success.set(0);
    duration.set((performance.now() - started) / 1000);
    return registry;
  }
  try {
    const timings = await httpGet(url, timeoutSeconds * 1000);
    const phases = gauge(metrics.httpPhases, ['phase']);
    gauge(metrics.httpStatusCode).set(timings.status);
    phases.set({ phase: 'resolve' }, 0);
    phases.set({ phase: 'connect' }, timings.connect);
    phases.set({ phase: 'tls' }, 0);
    phases.set({ phase: 'processing' }, timings.processing);
    phases.set({ phase: 'transfer' }, timings.transfer);
    success.set(timings.status >= 200 && timings.status < 300 ? 1 : 0);
  } catch {
    gauge(metrics.httpStatusCode).set(0);
    success.set(0);
  }
  duration.set((performance.now() - started) / 1000);
  return registry;
}
