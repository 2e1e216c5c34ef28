import { O11yError } from '@o11y/core';

/** The server's address without credentials or query, safe to print. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

interface ApiResponse<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
}

/**
 * A minimal client for the Prometheus HTTP API (also served by Mimir, Thanos and VictoriaMetrics).
 * A bearer token, when needed, comes from O11Y_PROMETHEUS_TOKEN and is never printed.
 */
export class PrometheusClient {
  private readonly base: URL;

  constructor(
    url: string,
    private readonly options: { token?: string; timeoutMs?: number } = {},
  ) {
    try {
      this.base = new URL(url.endsWith('/') ? url : `${url}/`);
    } catch {
      throw new O11yError(`--prometheus-url is not a URL`, {
        id: 'lint/live',
        hint: 'e.g. http://127.0.0.1:9090',
      });
    }
  }

  get address(): string {
    return redactedUrl(this.base.toString());
  }

  private async get<T>(path: string, params: [string, string][]): Promise<T> {
    const url = new URL(path, this.base);
    for (const [key, value] of params) url.searchParams.append(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        headers: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
      });
    } catch (error) {
      throw new O11yError(`cannot reach Prometheus at ${this.address}: ${(error as Error).message}`, {
        id: 'lint/live',
        hint: 'check --prometheus-url and that the server is up',
      });
    }
    const body = (await response.json().catch(() => undefined)) as ApiResponse<T> | undefined;
    if (!response.ok || body?.status !== 'success' || body.data === undefined) {
      throw new O11yError(
        `Prometheus at ${this.address} answered ${response.status} to ${path}: ${body?.error ?? response.statusText}`,
        { id: 'lint/live' },
      );
    }
    return body.data;
  }

  /** How many series match a selector now or within the last `lookbackMs`. */
  async seriesCount(selector: string, lookbackMs: number, now = Date.now()): Promise<number> {
    const series = await this.get<unknown[]>('api/v1/series', [
      ['match[]', selector],
      ['start', String((now - lookbackMs) / 1000)],
      ['end', String(now / 1000)],
    ]);
    return series.length;
  }
}
