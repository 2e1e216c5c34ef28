import type { DistTree } from '../dist/tree.ts';
import { HttpClient, type RetryPolicy } from '../http/client.ts';
import { type ApiPreference, detectGrafana } from './detect.ts';
import { applyGrafanaPlan, type GrafanaPlan, type PublishSummary, planGrafana } from './publish.ts';

export interface GrafanaPublishOptions {
  readonly url: string;
  readonly token: string;
  readonly tree: DistTree;
  readonly api?: ApiPreference;
  /** Grafana organisation; 1 maps to the `default` namespace of /apis. */
  readonly orgId?: number;
  /** /apis namespace, e.g. `stacks-123` on Grafana Cloud; defaults from orgId. */
  readonly namespace?: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly prune?: boolean;
  readonly concurrency?: number;
  readonly message: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
}

export interface GrafanaPublishResult {
  readonly plan: GrafanaPlan;
  /** Absent on a dry run. */
  readonly summary: PublishSummary | undefined;
}

export const DEFAULT_CONCURRENCY = 8;

/** Detect the server, plan against it, and (unless dry-run) apply the plan. */
export async function publishGrafana(options: GrafanaPublishOptions): Promise<GrafanaPublishResult> {
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
  });
  const { version, api } = await detectGrafana(client, {
    prefer: options.api ?? 'auto',
    namespace: options.namespace ?? (orgId === 1 ? 'default' : `org-${orgId}`),
  });
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
  return { plan, summary };
}
