import { O11yErrors } from '@o11y/core';
import type { DistTree } from '../built/tree.ts';
import { HttpClient, type RetryPolicy } from '../http/client.ts';
import { type ApiPreference, type DetectedGrafana, detectGrafana } from './detect.ts';
import {
  applyGrafanaPlan,
  type GrafanaPlan,
  type PublishSummary,
  planGrafana,
  planRefusals,
} from './publish.ts';

export interface GrafanaConnection {
  readonly url: string;
  readonly token: string;
  readonly api?: ApiPreference;
  /** Grafana organisation; 1 maps to the `default` namespace of /apis. */
  readonly orgId?: number;
  /** /apis namespace, e.g. `stacks-123` on Grafana Cloud; defaults from orgId. */
  readonly namespace?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Epoch milliseconds after which no request starts and no retry waits. */
  readonly deadline?: number;
  /** Where waits are announced. */
  readonly log?: (line: string) => void;
}

export interface GrafanaPublishOptions extends GrafanaConnection {
  readonly tree: DistTree;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly prune?: boolean;
  readonly concurrency?: number;
  readonly message: string;
}

export interface GrafanaPublishResult {
  readonly plan: GrafanaPlan;
  /** Absent on a dry run. */
  readonly summary: PublishSummary | undefined;
}

export const DEFAULT_CONCURRENCY = 8;

/** A client for the server and the API it speaks (/apis on Grafana 12+, else the classic /api). */
export async function connectGrafana(options: GrafanaConnection): Promise<DetectedGrafana> {
  const orgId = options.orgId ?? 1;
  const client = new HttpClient({
    baseUrl: options.url,
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(options.orgId !== undefined && { 'x-grafana-org-id': String(orgId) }),
    },
    secrets: [options.token],
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    deadline: options.deadline,
    log: options.log,
  });
  return detectGrafana(client, {
    prefer: options.api ?? 'auto',
    namespace: options.namespace ?? (orgId === 1 ? 'default' : `org-${orgId}`),
  });
}

/**
 * Detect the server, plan against it, and (unless dry-run) apply the plan. Dashboards edited in
 * Grafana or not owned by o11y are left alone while the rest is published; they are then reported
 * as one O11yErrors.
 */
export async function publishGrafana(options: GrafanaPublishOptions): Promise<GrafanaPublishResult> {
  const { version, api } = await connectGrafana(options);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const plan = await planGrafana(options.tree, api, version, {
    force: options.force ?? false,
    prune: options.prune ?? false,
    concurrency,
  });
  if (options.dryRun) return { plan, summary: undefined };
  const summary = await applyGrafanaPlan(plan, api, {
    concurrency,
    force: options.force ?? false,
    message: options.message,
  });
  const refusals = planRefusals(plan);
  if (refusals.length > 0) throw new O11yErrors(refusals);
  return { plan, summary };
}
