/**
 * The few Prometheus HTTP API calls the preview makes, as Grafana's data source makes them. Errors come
 * back as values (Prometheus's own message), because Grafana shows them on the panel, not as a crash.
 */

export interface Series {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<readonly [number, string]>;
}

export type Answer<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: string };

const TIMEOUT_MS = 30_000;

export class PrometheusClient {
  readonly #base: URL;
  readonly #headers: Record<string, string>;

  constructor(url: string) {
    const parsed = new URL(url);
    this.#headers = {};
    // Credentials in the URL become a header and never reach a page, a log or an error.
    if (parsed.username || parsed.password) {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      this.#headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.#base = parsed;
  }

  /** The server's address without credentials, for the page's footer. */
  get origin(): string {
    return `${this.#base.origin}${this.#base.pathname.replace(/\/$/, '')}`;
  }

  async #get<T>(path: string, params: Record<string, string>): Promise<Answer<T>> {
    const url = new URL(`${this.#base.pathname.replace(/\/$/, '')}${path}`, this.#base);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await fetch(url, { headers: this.#headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      return {
        ok: false,
        error: `cannot reach ${this.origin}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const text = await response.text();
    let json: { status?: string; data?: T; error?: string; errorType?: string };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      return { ok: false, error: `${this.origin} answered HTTP ${response.status} without JSON` };
    }
    if (json.status !== 'success') {
      return {
        ok: false,
        error: `${json.errorType ?? `HTTP ${response.status}`}: ${json.error ?? 'unknown error'}`,
      };
    }
    return { ok: true, data: json.data as T };
  }

  async queryRange(expr: string, startS: number, endS: number, stepS: number): Promise<Answer<Series[]>> {
    const answer = await this.#get<{ resultType: string; result: Series[] }>('/api/v1/query_range', {
      query: expr,
      start: String(startS),
      end: String(endS),
      step: String(stepS),
    });
    return answer.ok ? { ok: true, data: answer.data.result } : answer;
  }

  /** An instant query; vectors and scalars come back as one-sample series. */
  async query(expr: string, timeS: number): Promise<Answer<Series[]>> {
    const answer = await this.#get<{ resultType: string; result: unknown }>('/api/v1/query', {
      query: expr,
      time: String(timeS),
    });
    if (!answer.ok) return answer;
    const { resultType, result } = answer.data;
    if (resultType === 'scalar' || resultType === 'string') {
      const [t, v] = result as [number, string];
      return { ok: true, data: [{ metric: {}, values: [[t, v]] }] };
    }
    if (resultType === 'matrix') return { ok: true, data: result as Series[] };
    const vector = result as Array<{ metric: Record<string, string>; value: [number, string] }>;
    return { ok: true, data: vector.map((s) => ({ metric: s.metric, values: [s.value] })) };
  }

  async labelValues(
    label: string,
    match: string | undefined,
    startS: number,
    endS: number,
  ): Promise<Answer<string[]>> {
    const params: Record<string, string> = { start: String(startS), end: String(endS) };
    if (match) params['match[]'] = match;
    return this.#get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, params);
  }

  async labelNames(match: string | undefined, startS: number, endS: number): Promise<Answer<string[]>> {
    const params: Record<string, string> = { start: String(startS), end: String(endS) };
    if (match) params['match[]'] = match;
    return this.#get<string[]>('/api/v1/labels', params);
  }
}
