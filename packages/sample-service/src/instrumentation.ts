import type { MetricDeclaration, Service } from '@o11y/catalog';
import { ValueType } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVICE_NAME,
  ATTR_URL_SCHEME,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import {
  Counter,
  collectDefaultMetrics,
  Histogram,
  type OpenMetricsContentType,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import type { Estate } from './estate.ts';
import type { EstateContext } from './label-sets.ts';
import type { Random } from './random.ts';
import { type Route, SERVER_ERRORS } from './routes.ts';
import { type Behaviour, defaultBehaviour, registerSimulated } from './simulated.ts';

/** One answered request, as the HTTP middleware sees it. */
export interface HttpObservation {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  readonly seconds: number;
  /** The request's trace, when it was traced: prom-client's latency histogram keeps it as an exemplar. */
  readonly traceId?: string;
}

/**
 * The exemplar label that carries a trace id: the name Grafana's Prometheus datasource is provisioned
 * to link to the tracing backend (`exemplarTraceIdDestinations`).
 */
export const EXEMPLAR_TRACE_ID_LABEL = 'trace_id';

/** A service instance's metrics library: records requests, prints the `/metrics` exposition. */
export interface Instrumentation {
  record(observation: HttpObservation): void;
  exposition(): Promise<string>;
  readonly contentType: string;
}

/** What a target needs to simulate the metrics nothing instruments for real. */
export interface SimulationContext {
  readonly context: EstateContext;
  readonly random: Random;
  /** Per-metric behaviours; other metrics move by their unit's default. */
  readonly behaviours: ReadonlyMap<MetricDeclaration, Behaviour>;
  readonly startedAt: number;
  readonly now: () => number;
}

export interface InstrumentationOptions extends SimulationContext {
  readonly estate: Estate;
  readonly service: Service;
  /** The environment the instance runs in: a value of the catalogue's environment dimension. */
  readonly environment: string;
  readonly declarations: readonly MetricDeclaration[];
  readonly routes: readonly Route[];
}

/** Registers a simulated metric for every declaration the registry does not already have. */
export function simulateMissing(
  declarations: readonly MetricDeclaration[],
  registry: Registry<RegistryContentType>,
  setElsewhere: ReadonlySet<string>,
  simulation: SimulationContext,
): void {
  for (const declaration of declarations) {
    if (registry.getSingleMetric(declaration.name)) continue;
    const behaviour =
      simulation.behaviours.get(declaration) ??
      defaultBehaviour(declaration.type, declaration.unit, simulation.startedAt);
    registerSimulated(declaration, { ...simulation, registry, setElsewhere, behaviour });
  }
}

/**
 * A prom-client service as our shared Node.js library sets it up: a registry with the `service` and
 * `environment` default labels, prom-client's default process and runtime metrics (those the
 * catalogue declares), the HTTP RED middleware's counter and histogram, and the application metrics.
 * Where the catalogue's environment dimension comes from the targets, the service leaves the label to
 * the scrape (its own would become `exported_environment`).
 */
export function promClientInstrumentation(options: InstrumentationOptions): Instrumentation {
  const convention = options.estate.http['prom-client'];
  // Exemplars exist only in the OpenMetrics exposition, which Prometheus asks for first.
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const byTheTargets = new Set(
    (options.estate.catalog.dimensions?.enabled ?? [])
      .filter((d) => d.source === 'target')
      .map((d) => d.label),
  );
  const fixed = {
    [convention.labels.service]: options.service.name,
    ...(!byTheTargets.has(convention.labels.environment) && {
      [convention.labels.environment]: options.environment,
    }),
  };
  registry.setDefaultLabels(fixed);
  collectDefaultMetrics({
    register: registry,
    gcDurationBuckets: [...(options.estate.gcDuration.declaration.buckets ?? [])],
  });
  const declared = new Set(options.declarations.map((d) => d.name));
  for (const metric of registry.getMetricsAsArray()) {
    if (!declared.has(metric.name)) registry.removeSingleMetric(metric.name);
  }
  const httpLabels = [convention.labels.method, convention.labels.route, convention.labels.status];
  const requests = new Counter({
    name: convention.requests.name,
    help: convention.requests.declaration.help,
    labelNames: httpLabels,
    registers: [registry],
  });
  const duration = new Histogram({
    name: convention.duration.name,
    help: convention.duration.declaration.help,
    labelNames: httpLabels,
    buckets: [...(convention.duration.declaration.buckets ?? [])],
    registers: [registry],
    enableExemplars: true,
  });
  // Server-error series exist from the start, at zero, so an error ratio reads 0 instead of "no data".
  for (const route of options.routes) {
    requests.inc(
      {
        [convention.labels.method]: route.method,
        [convention.labels.route]: route.path,
        [convention.labels.status]: SERVER_ERRORS[0]![0],
      },
      0,
    );
  }
  simulateMissing(options.declarations, registry, new Set([...Object.keys(fixed), ...byTheTargets]), options);
  return {
    contentType: registry.contentType,
    record({ method, route, status, seconds, traceId }) {
      const labels = {
        [convention.labels.method]: method,
        [convention.labels.route]: route,
        [convention.labels.status]: status,
      };
      requests.inc(labels);
      duration.observe({
        labels,
        value: seconds,
        exemplarLabels: traceId === undefined ? {} : { [EXEMPLAR_TRACE_ID_LABEL]: traceId },
      });
    },
    exposition: () => registry.metrics(),
  };
}

/** The unit words the OpenTelemetry Prometheus compatibility spec appends for UCUM units. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  '1': 'ratio',
};

/**
 * The Prometheus name the OpenTelemetry compatibility spec gives an instrument: dots to underscores,
 * then the unit as a suffix. The JavaScript exporter does not append the unit yet
 * (open-telemetry/opentelemetry-js#3466), so a view applies the spec's name, which is what the Go SDK,
 * the Collector and Prometheus's OTLP receiver produce.
 */
export function otelPrometheusName(instrument: string, unit: string): string {
  const base = instrument.replaceAll('.', '_');
  const word = UNIT_WORDS[unit];
  return word && !base.endsWith(`_${word}`) ? `${base}_${word}` : base;
}

/** Resource attributes the exporter turns into labels on every series (`service_name`, `deployment_environment_name`). */
const CONSTANT_LABEL_ATTRIBUTES = /^(service\.name|deployment\.environment\.name)$/;
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
/** The instrumentation scope that records HTTP server metrics (`otel_scope_name`). */
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';

/**
 * An OpenTelemetry service: the SDK's MeterProvider with the Prometheus exporter (no server of its
 * own; the instance's listener serves it), recording `http.server.request.duration` with the
 * semantic-convention attributes and the catalogue's buckets.
 */
export function otelInstrumentation(options: InstrumentationOptions): Instrumentation {
  const declaration = options.estate.http.otel.duration.declaration;
  const unit = 's';
  const name = otelPrometheusName(METRIC_HTTP_SERVER_REQUEST_DURATION, unit);
  if (name !== declaration.name) {
    throw new Error(
      `the OpenTelemetry service would expose ${name}, but the catalogue declares ${declaration.name} (${declaration.source.file}:${declaration.source.line})`,
    );
  }
  const withTargetInfo = options.estate.catalog.metric('target_info') !== undefined;
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    withResourceConstantLabels: CONSTANT_LABEL_ATTRIBUTES,
    withoutTargetInfo: !withTargetInfo,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.service.name,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: options.environment,
      'service.instance.id': `${options.service.name}-${options.context.index}`,
    }),
    readers: [exporter],
    views: [
      {
        instrumentName: METRIC_HTTP_SERVER_REQUEST_DURATION,
        name: name.replaceAll('_', '.'),
        aggregation: {
          type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
          options: { boundaries: [...(declaration.buckets ?? [])] },
        },
      },
    ],
  });
  const histogram = provider.getMeter(HTTP_SCOPE).createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    unit,
    valueType: ValueType.DOUBLE,
    description: declaration.help,
  });
  const serializer = new PrometheusSerializer(undefined, false, CONSTANT_LABEL_ATTRIBUTES, !withTargetInfo);
  return {
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    record({ method, route, status, seconds }) {
      histogram.record(seconds, {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_HTTP_ROUTE]: route,
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: Number(status),
        [ATTR_URL_SCHEME]: 'http',
        [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1',
      });
    },
    async exposition() {
      const { resourceMetrics } = await exporter.collect();
      return serializer.serialize(resourceMetrics);
    },
  };
}
