import { O11yError } from '@o11y/core';

/** How a failed request is retried: 429 and 5xx answers and network failures, with backoff. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest Retry-After honoured; a server asking for more makes the request fail instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 120_000,
};

export interface HttpClientOptions {
  readonly baseUrl: string;
  /** Sent with every request (Authorization, X-Scope-OrgID, …). Never printed. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Values that must never appear in messages (tokens); replaced by `***`. */
  readonly secrets?: readonly string[];
  readonly retry?: Partial<RetryPolicy>;
  /** Longest wait for one answer. */
  readonly timeoutMs?: number;
  /**
   * Epoch milliseconds after which no attempt starts and no retry waits (`o11y publish --timeout`):
   * a server that keeps answering 429 makes the publish fail at the deadline, saying why.
   */
  readonly deadline?: number;
  /** Where to say that a retry waits, how long and why. */
  readonly log?: (line: string) => void;
  /** For tests: replace the wait between attempts and the jitter source. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** How many attempts the answer took; above 1 means an earlier attempt may have been applied. */
  readonly attempts: number;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** `json` (default) serialises `body`; `yaml` / `text` send it as is. */
  readonly contentType?: 'json' | 'yaml' | 'text';
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Headers of this request only, e.g. Grafana's `X-Disable-Provenance`. */
  readonly headers?: Readonly<Record<string, string>>;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export class HttpClient {
  readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Retries made so far, for the publish summary. */
  retries = 0;

  private readonly options: HttpClientOptions;

  /**
   * A user and password in the base URL (`https://user:pass@grafana`) become Basic authentication:
   * fetch refuses URLs with credentials, and the password joins the secrets no message may show.
   */
  constructor(options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.username === '' && url.password === '') this.options = options;
    else {
      const password = decodeURIComponent(url.password);
      const basic = Buffer.from(`${decodeURIComponent(url.username)}:${password}`).toString('base64');
      url.username = '';
      url.password = '';
      this.options = {
        ...options,
        baseUrl: url.toString(),
        headers: { authorization: `Basic ${basic}`, ...options.headers },
        secrets: [...(options.secrets ?? []), password, encodeURIComponent(password), basic],
      };
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Remove every secret from a text before it is shown. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.options.secrets ?? []) {
      if (secret.length > 0) out = out.split(secret).join('***');
    }
    return out;
  }

  describe(method: string, path: string): string {
    return `${method} ${this.redact(this.urlOf(path).toString())}`;
  }

  /** `path` under the base URL, keeping its sub-path (Grafana served from `/grafana`, a route prefix). */
  private urlOf(path: string): URL {
    return new URL(`${this.options.baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`);
  }

  /**
   * Send a request, retrying 429/5xx and network failures with exponential backoff and full jitter,
   * or exactly the server's Retry-After when it gives one. Other statuses are returned to the caller.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.urlOf(path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const contentType = options.contentType ?? 'json';
    const body =
      options.body === undefined
        ? undefined
        : contentType === 'json'
          ? JSON.stringify(options.body)
          : String(options.body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.options.headers,
      ...options.headers,
    };
    if (body !== undefined) {
      headers['content-type'] =
        contentType === 'json'
          ? 'application/json'
          : contentType === 'yaml'
            ? 'application/yaml'
            : 'text/plain';
    }
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await fetch(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(this.attemptTimeout(method, url, attempt, started)),
        });
      } catch (error) {
        failure = error;
      }
      const retryable = response === undefined || RETRYABLE_STATUS.has(response.status);
      if (!retryable || attempt >= this.retry.maxAttempts) {
        if (response === undefined) {
          throw new O11yError(
            `${this.describe(method, url.pathname)} failed after ${attempt} attempt(s): ${this.redact(String((failure as Error)?.message ?? failure))}`,
            { id: 'publish/network', hint: 'check the URL and that the server is reachable from here' },
          );
        }
        return {
          status: response.status,
          headers: response.headers,
          text: await response.text(),
          attempts: attempt,
        };
      }
      const waitMs = this.delayFor(response, attempt);
      if (waitMs === undefined && response) {
        return {
          status: response.status,
          headers: response.headers,
          text: await response.text(),
          attempts: attempt,
        };
      }
      await response?.arrayBuffer();
      const why = response
        ? `answered ${response.status}${response.headers.get('retry-after') ? ` with Retry-After: ${response.headers.get('retry-after')}` : ''}`
        : `failed (${this.redact(String((failure as Error)?.message ?? failure))})`;
      const wait = waitMs ?? 0;
      if (this.options.deadline !== undefined && Date.now() + wait > this.options.deadline) {
        throw new O11yError(
          `${this.describe(method, url.pathname)} ${why}; waiting ${seconds(wait)} for attempt ${attempt + 1} would pass the deadline, so o11y gave up after ${attempt} attempt(s) in ${seconds(Date.now() - started)}`,
          {
            id: 'publish/timeout',
            hint: 'the server is overloaded or rate-limits this token; try later, or allow more time with --timeout <seconds>',
          },
        );
      }
      if (wait >= 1000)
        this.options.log?.(
          `${this.describe(method, url.pathname)} ${why}: waiting ${seconds(wait)} before attempt ${attempt + 1} of ${this.retry.maxAttempts}`,
        );
      this.retries += 1;
      await this.sleep(wait);
    }
  }

  /** The per-answer timeout, cut to what is left before the deadline; past it, no attempt starts. */
  private attemptTimeout(method: string, url: URL, attempt: number, started: number): number {
    const limit = this.options.timeoutMs ?? 30_000;
    if (this.options.deadline === undefined) return limit;
    const left = this.options.deadline - Date.now();
    if (left <= 0) {
      throw new O11yError(
        `${this.describe(method, url.pathname)} not sent: the deadline passed (attempt ${attempt}, ${seconds(Date.now() - started)} on this request)`,
        { id: 'publish/timeout', hint: 'allow more time with --timeout <seconds>' },
      );
    }
    return Math.min(limit, left);
  }

  /** Milliseconds to wait before the next attempt, or undefined if Retry-After asks too much. */
  private delayFor(response: Response | undefined, attempt: number): number | undefined {
    const header = response?.headers.get('retry-after');
    if (header) {
      const seconds = Number(header);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
      if (Number.isFinite(ms)) return ms > this.retry.maxRetryAfterMs ? undefined : Math.max(0, ms);
    }
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(this.random() * ceiling);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

/** The parsed JSON of a response, or undefined when it is not JSON. */
export function jsonOf(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}
