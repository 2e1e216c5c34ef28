/** The parts of Prometheus's HTTP API the end-to-end checks read. */

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value?: readonly [number, string];
  readonly values?: ReadonlyArray<readonly [number, string]>;
}

export interface QueryResult {
  readonly resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  readonly result: readonly Sample[] | readonly [number, string];
}

export interface RuleState {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly state?: 'inactive' | 'pending' | 'firing';
}

export interface RuleGroupState {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly RuleState[];
  readonly lastEvaluation: string;
}

export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing';
}

export interface ScrapeTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapePool: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}

/** The exemplars of one series (`/api/v1/query_exemplars`). */
export interface SeriesExemplars {
  readonly seriesLabels: Readonly<Record<string, string>>;
  readonly exemplars: ReadonlyArray<{
    readonly labels: Readonly<Record<string, string>>;
    readonly value: string;
    readonly timestamp: number;
  }>;
}

export class PrometheusApiError extends Error {}

export class PrometheusApi {
  constructor(readonly url: string) {}

  private async get<T>(path: string, params: Record<string, string | readonly string[]> = {}): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const item of typeof value === 'string' ? [value] : value) search.append(key, item);
    }
    const response = await fetch(`${this.url}${path}?${search}`, { signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success')
      throw new PrometheusApiError(`${body.errorType ?? 'error'}: ${body.error ?? response.statusText}`);
    return body.data;
  }

  query(expr: string, time: number): Promise<QueryResult> {
    return this.get('/api/v1/query', { query: expr, time: String(time / 1000) });
  }

  queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult> {
    return this.get('/api/v1/query_range', {
      query: expr,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: String(stepMs / 1000),
    });
  }

  queryExemplars(expr: string, startMs: number, endMs: number): Promise<SeriesExemplars[]> {
    return this.get('/api/v1/query_exemplars', {
      query: expr,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
    });
  }

  labelValues(label: string, match: readonly string[], startMs: number, endMs: number): Promise<string[]> {
    return this.get(`/api/v1/label/${encodeURIComponent(label)}/values`, {
      'match[]': match,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
    });
  }

  series(match: readonly string[]): Promise<Array<Record<string, string>>> {
    return this.get('/api/v1/series', { 'match[]': match });
  }

  async ruleGroups(): Promise<RuleGroupState[]> {
    return (await this.get<{ groups: RuleGroupState[] }>('/api/v1/rules')).groups;
  }

  async alerts(): Promise<ActiveAlert[]> {
    return (await this.get<{ alerts: ActiveAlert[] }>('/api/v1/alerts')).alerts;
  }

  async targets(): Promise<ScrapeTarget[]> {
    return (await this.get<{ activeTargets: ScrapeTarget[] }>('/api/v1/targets', { state: 'active' }))
      .activeTargets;
  }
}

/** The series of a vector or matrix result that hold a sample; none for a scalar or string. */
export function seriesWithSamples(result: QueryResult): Sample[] {
  if (result.resultType === 'scalar' || result.resultType === 'string') return [];
  return (result.result as readonly Sample[]).filter(
    (s) => s.value !== undefined || (s.values?.length ?? 0) > 0,
  );
}

/** Whether a query returned any data: a series with a sample, or a scalar. */
export function hasData(result: QueryResult): boolean {
  return (
    result.resultType === 'scalar' || result.resultType === 'string' || seriesWithSamples(result).length > 0
  );
}
