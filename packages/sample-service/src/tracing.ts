import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The instrumentation scope of the spans the HTTP server middleware records. */
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';

/** Where spans go: one tracer per service (its own `service.name` resource), all over one OTLP endpoint. */
export interface Tracing {
  tracerFor(serviceName: string, instanceId: string): Tracer;
  /** Exports the spans still buffered (those the endpoint does not take are lost), then stops. */
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry trace SDK exporting over OTLP/HTTP to `endpoint` (`http://host:port`, the
 * Collector's OTLP HTTP receiver; spans are posted to `<endpoint>/v1/traces`), keeping the share
 * `sampleRatio` of traces (head sampling by trace id; the rest are not recorded). Each service
 * instance gets a provider of its own, as each would in its own process.
 */
export function otlpTracing(endpoint: string, sampleRatio: number): Tracing {
  const providers: TracerProvider[] = [];
  return {
    tracerFor(serviceName, instanceId) {
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          [ATTR_SERVICE_NAME]: serviceName,
          'service.instance.id': instanceId,
        }),
        sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) }),
        spanProcessors: [
          // The SDK's default batching (every 5 s): one process posing as dozens of instances
          // would otherwise spend its time exporting.
          new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }) }),
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
