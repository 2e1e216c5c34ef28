import { captureSource, type Duration, O11yError, type SourceLocation } from '@o11y/core';
import { type Job, job } from './metric.ts';

/** How much the business depends on a service; drives paging and dashboard ordering. */
export type Tier = 'critical' | 'high' | 'standard';

/**
 * The vocabulary an organisation describes its services in: how a service exposes its metrics (its
 * metrics library or naming convention, e.g. `prom-client`, `otel`) and the datastores it keeps data
 * in. Close it once with `serviceKinds<…>()`, so a misspelt kind in the service list does not compile.
 */
export interface ServiceKinds {
  readonly instrumentation: string;
  readonly datastore: string;
}

export interface ServiceSlo {
  /** Share of requests that must not fail (5xx), e.g. 0.999. */
  readonly availability: number;
  /** Share of requests (`objective`) that must finish within `threshold` seconds, a histogram bucket bound. */
  readonly latency: { readonly threshold: number; readonly objective: number };
}

export interface ServiceSpec<T extends string, K extends ServiceKinds = ServiceKinds> {
  readonly description: string;
  readonly team: T;
  readonly instrumentation: K['instrumentation'];
  readonly tier: Tier;
  readonly replicas: number;
  /** Port of the `/metrics` endpoint. */
  readonly port: number;
  readonly datastores: readonly K['datastore'][];
  readonly slo: ServiceSlo;
  readonly scrapeInterval?: Duration;
}

/** One service of the organisation; its scrape job has the service's name. */
export interface Service<
  N extends string = string,
  T extends string = string,
  K extends ServiceKinds = ServiceKinds,
> extends ServiceSpec<T, K> {
  readonly name: N;
  readonly scrapeInterval: Duration;
  readonly job: Job<N>;
  readonly source: SourceLocation;
}

const SERVICE_NAME = /^[a-z][a-z0-9-]*$/;

function isRatio(value: number): boolean {
  return value > 0 && value < 1;
}

/** One service, in the open vocabulary: any instrumentation and datastore names. */
export function service<const N extends string, const T extends string>(
  name: N,
  spec: ServiceSpec<T>,
): Service<N, T> {
  return makeService(name, spec, captureSource());
}

/**
 * `service` closed to an organisation's vocabulary: `const service = serviceKinds<{ instrumentation:
 * 'prom-client' | 'otel'; datastore: 'postgres' | 'redis' }>()`.
 */
export function serviceKinds<K extends ServiceKinds>() {
  return <const N extends string, const T extends string>(
    name: N,
    spec: ServiceSpec<T, K>,
  ): Service<N, T, K> => makeService(name, spec, captureSource());
}

function makeService<N extends string, T extends string, K extends ServiceKinds>(
  name: N,
  spec: ServiceSpec<T, K>,
  source: SourceLocation,
): Service<N, T, K> {
  const problem = (message: string) => new O11yError(`service ${name}: ${message}`, { source });
  if (!SERVICE_NAME.test(name)) throw problem('name must be lower-case letters, digits and dashes');
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1)
    throw problem('replicas must be a positive integer');
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535)
    throw problem('port must be 1–65535');
  if (!isRatio(spec.slo.availability))
    throw problem('availability objective must lie strictly between 0 and 1');
  if (!isRatio(spec.slo.latency.objective))
    throw problem('latency objective must lie strictly between 0 and 1');
  if (!(spec.slo.latency.threshold > 0))
    throw problem('latency threshold must be a positive number of seconds');
  const scrapeInterval = spec.scrapeInterval ?? '15s';
  return Object.freeze({
    ...spec,
    name,
    scrapeInterval,
    job: job(name, { scrapeInterval, instances: spec.replicas }),
    source,
  });
}
