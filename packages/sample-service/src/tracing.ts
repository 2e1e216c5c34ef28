import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The instrumentation scope of the spans the HTTP server middleware records. */
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
/** Spans leave within half a second, so a trace is in the backend soon after its exemplar is scraped. */
const EXPORT_DELAY_MS = 500;

/** Where spans go: one tracer per service (its own `service.name` resource), all over one OTLP endpoint. */
export interface Tracing {
  tracerFor(serviceName: string, instanceId: string): Tracer;
  /** Exports the spans still buffered (those the endpoint does not take are lost), then stops. */
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry trace SDK exporting over OTLP/HTTP to `endpoint` (`http://host:port`, the
 * Collector's OTLP HTTP receiver; spans are posted to `<endpoint>/v1/traces`). Each service instance
 * gets a provider of its own, as each would in its own process.
 */
export function otlpTracing(endpoint: string): Tracing {
  const providers: TracerProvider[] = [];
  return {
    tracerFor(serviceName, instanceId) {
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          [ATTR_SERVICE_NAME]: serviceName,
          'service.instance.id': instanceId,
        }),
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
            scheduledDelayMillis: EXPORT_DELAY_MS,
          }),
        ],
      });
      providers.push(provider);
      return provider.getTracer(HTTP_SCOPE);
    },
    async shutdown() {
      // A service stops even when its spans cannot be delivered any more, as a real one would.
      await Promise.allSettled(providers.map((provider) => provider.shutdown()));
    },
  };
}
