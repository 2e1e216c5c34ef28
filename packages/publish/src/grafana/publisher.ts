import { choice, flag, optionalString, positiveInt, requiredSecret, requiredString } from '../options.ts';
import type { Publisher, PublisherOption, PublishPlan } from '../publisher.ts';
import type { GrafanaApi } from './api.ts';
import {
  applyGrafanaPlan,
  formatGrafanaPlan,
  type GrafanaPlan,
  planGrafana,
  planRefusals,
  verifyGrafanaPlan,
} from './publish.ts';
import { connectGrafana, DEFAULT_CONCURRENCY } from './run.ts';

/** The options every Grafana target takes: where Grafana is, which organisation, how many requests at once. */
export const GRAFANA_OPTIONS: Readonly<Record<'url' | 'org-id' | 'concurrency', PublisherOption>> = {
  url: {
    type: 'string',
    value: '<grafana-url>',
    description: 'Grafana, e.g. https://grafana.example.com',
    url: true,
  },
  'org-id': { type: 'string', value: '<n>', description: 'organisation (default 1)' },
  concurrency: {
    type: 'string',
    value: '<n>',
    description: `requests in flight (default ${DEFAULT_CONCURRENCY})`,
  },
};

interface GrafanaPublishPlan extends PublishPlan {
  readonly grafana: GrafanaPlan;
  readonly api: GrafanaApi;
  readonly force: boolean;
  readonly concurrency: number;
}

/** Dashboards and their folders, through Grafana 12+'s /apis or the classic /api. */
export const grafanaPublisher: Publisher<GrafanaPublishPlan> = {
  name: 'grafana',
  summary: 'dashboards and their folders',
  description: `Token from GRAFANA_TOKEN or GRAFANA_TOKEN_FILE (a service account with the Editor role).
Detects Grafana 12+ /apis (dashboard.grafana.app) or uses the classic /api. Dashboards edited in
Grafana since o11y wrote them, and dashboards o11y does not own, are left alone while everything
else is published; the publish then fails naming each, with what --force would do to it.`,
  options: {
    ...GRAFANA_OPTIONS,
    api: { type: 'string', value: 'auto|classic|apis', description: 'which API to use (default auto)' },
    namespace: { type: 'string', value: '<ns>', description: '/apis namespace (e.g. stacks-123)' },
    force: { type: 'boolean', description: 'overwrite dashboards edited in Grafana since o11y wrote them' },
    prune: { type: 'boolean', description: 'delete dashboards o11y owns that the build no longer defines' },
  },
  async plan(context) {
    const url = requiredString(context, 'url');
    const api = choice(context, 'api', ['auto', 'classic', 'apis'], 'auto');
    const orgId =
      optionalString(context, 'org-id') === undefined ? undefined : positiveInt(context, 'org-id', 1);
    const concurrency = positiveInt(context, 'concurrency', DEFAULT_CONCURRENCY);
    const force = flag(context, 'force');
    const token = requiredSecret(context, 'GRAFANA_TOKEN', {
      message: 'no Grafana token',
      id: 'publish/grafana-token',
      hint: 'set GRAFANA_TOKEN (or GRAFANA_TOKEN_FILE) to a service-account token with the Editor role',
    });
    const connected = await connectGrafana({
      url,
      token,
      api,
      orgId,
      namespace: optionalString(context, 'namespace'),
      deadline: context.deadline,
      log: context.log,
    });
    const grafana = await planGrafana(context.tree, connected.api, connected.version, {
      force,
      prune: flag(context, 'prune'),
      concurrency,
    });
    const changes =
      grafana.folders.filter((s) => s.action !== 'unchanged').length +
      grafana.dashboards.filter(
        (s) => s.action === 'create' || s.action === 'update' || s.action === 'delete',
      ).length;
    return {
      lines: formatGrafanaPlan(grafana),
      changes,
      refusals: planRefusals(grafana),
      data: {
        grafanaVersion: grafana.grafanaVersion,
        api: grafana.api,
        folders: grafana.folders.map((s) => ({
          action: s.action,
          path: s.folder.path,
          uid: s.folder.uid,
          detail: s.detail,
        })),
        dashboards: grafana.dashboards.map((s) => ({
          action: s.action,
          uid: s.uid,
          title: s.title,
          detail: s.detail,
        })),
      },
      grafana,
      api: connected.api,
      force,
      concurrency,
    };
  },
  async apply(plan, context) {
    const s = await applyGrafanaPlan(plan.grafana, plan.api, {
      concurrency: plan.concurrency,
      force: plan.force,
      message: context.message,
    });
    return {
      summary: `published: ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged, ${s.foldersWritten} folder writes, ${s.retries} retries`,
      data: s,
    };
  },
  verify: (plan) => verifyGrafanaPlan(plan.grafana, plan.api, plan.concurrency),
};
