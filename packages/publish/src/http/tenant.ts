import { HttpClient, type RetryPolicy } from './client.ts';

/** Where and as whom a Cortex or Mimir API is called. */
export interface TenantEndpoint {
  readonly url: string;
  /** Sent as X-Scope-OrgID; a Cortex without authentication serves every request as `fake`. */
  readonly tenant?: string;
  /** Bearer token; never printed. */
  readonly token?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Epoch milliseconds after which no request starts and no retry waits (`o11y publish --timeout`). */
  readonly deadline?: number;
  /** Where waits and retries are announced. */
  readonly log?: (line: string) => void;
}

/** A client of a multi-tenant API: the tenant header on every request, the token never in a message. */
export function tenantClient(endpoint: TenantEndpoint): HttpClient {
  return new HttpClient({
    baseUrl: endpoint.url,
    headers: {
      ...(endpoint.tenant !== undefined && { 'x-scope-orgid': endpoint.tenant }),
      ...(endpoint.token && { authorization: `Bearer ${endpoint.token}` }),
    },
    secrets: endpoint.token ? [endpoint.token] : [],
    retry: endpoint.retry,
    timeoutMs: endpoint.timeoutMs,
    deadline: endpoint.deadline,
    log: endpoint.log,
  });
}
