import {
  type Aggregate,
  histogramQuantile,
  type InstantVector,
  type LabelMap,
  type Matchers,
  rate,
  re,
  type Selector,
  sum,
} from '@o11y/catalog';

/**
 * How a service's HTTP metrics are named: the request counter, the duration histogram's buckets and
 * the label holding each RED dimension. prom-client and OpenTelemetry services differ only here, so
 * one builder serves both (the catalogue's `httpConventions` has one of these per instrumentation).
 */
export interface HttpMetrics {
  readonly requests: Selector<LabelMap, 'counter'>;
  readonly duration: { readonly bucket: Selector<LabelMap, 'counter'> };
  readonly labels: {
    readonly method: string;
    readonly route: string;
    readonly status: string;
    readonly service: string;
    readonly environment: string;
  };
}

/** `sum by (…)`, or a plain `sum` (no labels) when grouping by nothing. */
function grouped(total: Aggregate<string>, by: readonly string[]): InstantVector {
  return by.length > 0 ? total.by(...by) : total;
}

/** Narrows a selector to what the dashboard's variables select. */
export type Scope = <S extends Selector<LabelMap>>(selector: S) => S;

/** The request selectors of one service (or of `$service`), filtered by the dashboard's variables. */
export class HttpQueries {
  constructor(
    readonly http: HttpMetrics,
    private readonly scope: Scope,
  ) {}

  get labels(): HttpMetrics['labels'] {
    return this.http.labels;
  }

  requests(extra: Matchers<LabelMap> = {}): Selector<LabelMap, 'counter'> {
    return this.scope(this.http.requests).select(extra);
  }

  /** Requests per second, summed by the given labels. */
  rate(by: readonly string[] = [], extra: Matchers<LabelMap> = {}): InstantVector {
    return grouped(sum(rate(this.requests(extra).range('$__rate_interval'))), by);
  }

  /** Share of requests answered with a 5xx status (0–1). */
  errorRatio(by: readonly string[] = []): InstantVector {
    return this.rate(by, { [this.labels.status]: re('5..') }).div(this.rate(by));
  }

  /** The φ-quantile of request duration in seconds, from the histogram's buckets. */
  latency(phi: number, by: readonly string[] = []): InstantVector {
    const buckets = this.scope(this.http.duration.bucket);
    return histogramQuantile(phi, sum(rate(buckets.range('$__rate_interval'))).by('le', ...by));
  }
}
