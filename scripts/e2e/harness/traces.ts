import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { freePort, type RunningServer, startServer, toolPath } from '@o11y/core';
import { stringify } from 'yaml';

/**
 * The tracing half of the stack: the pinned Jaeger (memory storage, OTLP in) and the pinned
 * OpenTelemetry Collector in front of it. The sample service posts spans to the Collector over
 * OTLP/HTTP; the Collector batches them and forwards them to Jaeger over OTLP/gRPC.
 */
export interface Tracing {
  /** Jaeger's query API and UI: `/api/traces/<id>`, `/api/services`. */
  readonly jaegerUrl: string;
  /** The Collector's OTLP/HTTP receiver: what the sample service sends to. */
  readonly otlpEndpoint: string;
  logs(lines?: number): string;
  stop(): Promise<void>;
}

/** Neither program serves its own metrics: the default reader would bind the same fixed port in both. */
const NO_TELEMETRY_METRICS = { metrics: { level: 'none' }, logs: { level: 'warn' } };
const local = (port: number) => `127.0.0.1:${port}`;

/** Jaeger with every listener on 127.0.0.1 (its query ports default to all interfaces). */
export function jaegerConfig(ports: {
  readonly query: number;
  readonly queryGrpc: number;
  readonly otlpGrpc: number;
}): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: {
        traces: { receivers: ['otlp'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: NO_TELEMETRY_METRICS,
    },
    extensions: {
      jaeger_storage: { backends: { traces: { memory: { max_traces: 100_000 } } } },
      jaeger_query: {
        // Else its query service traces itself to the default OTLP port, whoever listens there.
        enable_tracing: false,
        storage: { traces: 'traces' },
        http: { endpoint: local(ports.query) },
        grpc: { endpoint: local(ports.queryGrpc) },
      },
    },
    receivers: { otlp: { protocols: { grpc: { endpoint: local(ports.otlpGrpc) } } } },
    exporters: { jaeger_storage_exporter: { trace_storage: 'traces' } },
  };
}

/** The Collector: OTLP/HTTP in, batched, OTLP/gRPC out to Jaeger. */
export function collectorConfig(ports: { readonly otlpHttp: number; readonly jaegerOtlpGrpc: number }) {
  return {
    receivers: { otlp: { protocols: { http: { endpoint: local(ports.otlpHttp) } } } },
    // A short timeout: spans reach Jaeger within a second of arriving.
    processors: { batch: { timeout: '200ms' } },
    exporters: { otlp_grpc: { endpoint: local(ports.jaegerOtlpGrpc), tls: { insecure: true } } },
    service: {
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['otlp_grpc'] } },
      telemetry: NO_TELEMETRY_METRICS,
    },
  };
}

/** Whether the OTLP/HTTP receiver at `port` accepts an (empty) export. */
async function acceptsOtlp(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${local(port)}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(1000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    // Not listening yet.
    return false;
  }
}

/** Starts Jaeger, then the Collector; configs are written under `dir`. */
export async function startTracing(dir: string): Promise<Tracing> {
  await mkdir(dir, { recursive: true });
  const jaegerFile = path.join(dir, 'jaeger.yaml');
  const collectorFile = path.join(dir, 'otelcol.yaml');
  const [queryGrpc, otlpGrpc] = [await freePort(), await freePort()];
  const jaeger = await startServer({
    binary: toolPath('jaeger'),
    args: (query) => {
      writeFileSync(jaegerFile, stringify(jaegerConfig({ query, queryGrpc, otlpGrpc })));
      return ['--config', jaegerFile];
    },
    readyPath: '/api/services',
    cwd: dir,
    timeoutMs: 60_000,
  });
  let collector: RunningServer;
  try {
    collector = await startServer({
      binary: toolPath('otelcol'),
      args: (otlpHttp) => {
        writeFileSync(collectorFile, stringify(collectorConfig({ otlpHttp, jaegerOtlpGrpc: otlpGrpc })));
        return [`--config=${collectorFile}`];
      },
      ready: acceptsOtlp,
      cwd: dir,
      timeoutMs: 60_000,
    });
  } catch (error) {
    await jaeger.stop();
    throw error;
  }
  return {
    jaegerUrl: jaeger.url,
    otlpEndpoint: collector.url,
    logs: (lines = 30) =>
      [
        `--- OpenTelemetry Collector (last ${lines} lines)`,
        collector.logTail(lines),
        `--- Jaeger (last ${lines} lines)`,
        jaeger.logTail(lines),
      ].join('\n'),
    async stop() {
      // The Collector first, so that it can still flush what it holds to Jaeger.
      await collector.stop();
      await jaeger.stop();
    },
  };
}
