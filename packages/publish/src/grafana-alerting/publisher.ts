import { GRAFANA_OPTIONS } from '../grafana/publisher.ts';
import { connectGrafana, DEFAULT_CONCURRENCY } from '../grafana/run.ts';
import type { HttpClient } from '../http/client.ts';
import { flag, optionalString, positiveInt, requiredSecret, requiredString } from '../options.ts';
import type { Publisher, PublishPlan } from '../publisher.ts';
import {
  applyNotifications,
  formatNotificationPlan,
  type NotificationPlan,
  notificationRefusals,
  notificationWrites,
  planNotifications,
} from './notifications.ts';
import {
  type AlertingPlan,
  alertingRefusals,
  applyAlerting,
  formatAlertingPlan,
  planAlerting,
  verifyAlerting,
} from './rules.ts';

interface AlertingPublishPlan extends PublishPlan {
  readonly alerting: AlertingPlan;
  readonly notifications: NotificationPlan;
  readonly secret: (value: string) => void;
  readonly client: HttpClient;
  readonly concurrency: number;
}

/** Grafana-managed alert rules (and their folders) through the alerting provisioning HTTP API. */
export const grafanaAlertingPublisher: Publisher<AlertingPublishPlan> = {
  name: 'grafana-alerting',
  summary: 'Grafana-managed alert rules, contact points, notification policies and mute timings',
  description: `Token from GRAFANA_TOKEN or GRAFANA_TOKEN_FILE (a service account with alert provisioning
rights). Writes dist/grafana/alerting/ through /api/v1/provisioning with X-Disable-Provenance, so the
rules stay editable in the UI; a rule edited there since o11y wrote it is left alone (--force
overwrites it), as is a rule o11y does not own or that another source provisioned. Contact points, the
notification policy tree and mute timings go the same way; o11y records what it published in the
notification template o11y-published-state to tell its own objects and later edits apart. Secret
settings ($__env{VAR}, $__file{path}) are resolved where o11y publish runs and sent, never shown.`,
  options: {
    ...GRAFANA_OPTIONS,
    force: {
      type: 'boolean',
      description:
        'overwrite (or prune) rules and notification objects edited in Grafana since o11y wrote them, and send every contact point again',
    },
    prune: {
      type: 'boolean',
      description: 'delete rules, contact points and mute timings o11y owns that the build no longer defines',
    },
  },
  async plan(context) {
    const token = requiredSecret(context, 'GRAFANA_TOKEN', {
      message: 'no Grafana token',
      id: 'publish/grafana-token',
      hint: 'set GRAFANA_TOKEN (or GRAFANA_TOKEN_FILE) to a service-account token allowed to provision alerting',
    });
    const { api } = await connectGrafana({
      url: requiredString(context, 'url'),
      token,
      api: 'classic',
      orgId: optionalString(context, 'org-id') === undefined ? undefined : positiveInt(context, 'org-id', 1),
      deadline: context.deadline,
      log: context.log,
    });
    const options = { force: flag(context, 'force'), prune: flag(context, 'prune') };
    const alerting = await planAlerting(context.tree, api.client, options);
    const notifications = await planNotifications(context.tree, api.client, options);
    const changes =
      alerting.folders.length +
      alerting.intervals.length +
      alerting.rules.filter((s) => s.action === 'create' || s.action === 'update' || s.action === 'delete')
        .length +
      notificationWrites(notifications);
    return {
      lines: [...formatAlertingPlan(alerting), ...formatNotificationPlan(notifications)],
      changes,
      refusals: [...alertingRefusals(alerting), ...notificationRefusals(notifications)],
      data: {
        folders: alerting.folders,
        rules: alerting.rules.map((s) => ({
          action: s.action,
          uid: s.uid,
          title: s.title,
          detail: s.detail,
        })),
        notifications: notifications.steps.map((s) => ({
          action: s.action,
          kind: s.kind,
          key: s.key,
          detail: s.detail,
        })),
      },
      alerting,
      notifications,
      secret: context.secret,
      client: api.client,
      concurrency: positiveInt(context, 'concurrency', DEFAULT_CONCURRENCY),
    };
  },
  async apply(plan) {
    const s = await applyAlerting(plan.alerting, plan.client, plan.concurrency);
    const n = await applyNotifications(plan.notifications, plan.client, plan.secret);
    return {
      summary:
        `published: ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged, ${s.foldersCreated} folders created, ${s.intervalsSet} group intervals set` +
        (plan.notifications.present
          ? `; notifications: ${n.created} created, ${n.updated} updated, ${n.deleted} deleted`
          : ''),
      data: { ...s, notifications: n },
    };
  },
  verify: (plan) => verifyAlerting(plan.alerting, plan.client),
};
