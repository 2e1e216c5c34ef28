import { O11yError, type SourceLocation } from '@o11y/core';
import { type HttpResponse, jsonOf } from '../http/client.ts';

/** Grafana's own words from an error body (classic `{message}` or Kubernetes `Status.message`). */
export function grafanaMessage(response: HttpResponse): string {
  const body = jsonOf(response) as { message?: unknown; status?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message !== '') return body.message;
  return response.text.trim().slice(0, 300) || `HTTP ${response.status}`;
}

const HINTS: Record<number, string> = {
  400: 'Grafana rejected the content; fix the definition and rebuild',
  401: 'the token was not accepted: check GRAFANA_TOKEN (or GRAFANA_TOKEN_FILE) holds a valid service-account token for this Grafana',
  403: 'the service account lacks permission: give it the Editor role (dashboards:write, folders:create) in this organisation',
  404: 'check the Grafana URL (with any sub-path) and the organisation / namespace; if a folder or dashboard was deleted in Grafana while publishing, run the publish again',
  409: 'someone changed it while publishing; run the publish again',
  412: 'the dashboard was changed in Grafana while publishing; run the publish again (or --force to overwrite)',
  413: 'the request is larger than Grafana (or its proxy) accepts; split the dashboard or raise the server limit',
  429: 'Grafana kept rate-limiting; lower --concurrency or try later',
};

/** A clear error for a Grafana answer that publishing cannot recover from. */
export function grafanaError(
  what: string,
  response: HttpResponse,
  redact: (text: string) => string,
  source?: SourceLocation,
): O11yError {
  const status = response.status;
  const hint =
    HINTS[status] ?? (status >= 500 ? 'Grafana failed repeatedly; check its logs and retry' : undefined);
  const attempts = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
  return new O11yError(
    redact(`${what}: Grafana answered ${status}${attempts}: ${grafanaMessage(response)}`),
    {
      id: `publish/grafana-${status}`,
      ...(hint && { hint }),
      ...(source && { source }),
    },
  );
}
