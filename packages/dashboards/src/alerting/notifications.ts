import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import {
  type AlertmanagerConfig,
  formatMatcher,
  isSecret,
  type LabelVocabulary,
  type Matcher,
  type Receiver,
  type Route,
  type RouteNode,
  referenced,
  renderTimeInterval,
  type Secret,
  secretKind,
  type TimeInterval,
} from '@o11y/alertmanager';
import { type Diagnostic, O11yErrors, type SourceLocation, shortHash } from '@o11y/core';
import type { MuteTiming } from './mute-timing.ts';
import { GRAFANA_ORG_ID } from './rules.ts';

type AnyConfig = AlertmanagerConfig<LabelVocabulary>;
type AnyRoute = Route<LabelVocabulary>;

/**
 * A secret as Grafana's file provisioning reads it, never its value: `$__file{path}` for a file,
 * `$__env{VARIABLE}` for a variable of Grafana's environment (both expanded by Grafana at startup).
 */
export function provisionedSecret(value: Secret): string {
  return secretKind(value) === 'file'
    ? `$__file{${(value as { path: string }).path}}`
    : `$__env{${(value as { variable: string }).variable}}`;
}

/** Alertmanager's `send_resolved` default per integration; Grafana's `disableResolveMessage` is its opposite. */
const SENDS_RESOLVED: Readonly<Record<string, boolean>> = {
  slack: false,
  pagerduty: true,
  discord: true,
  email: false,
  webhook: true,
};

type Options = Readonly<Record<string, unknown>>;
const text = (value: unknown) => (isSecret(value) ? provisionedSecret(value) : (value as string | undefined));

/**
 * Each supported integration's Grafana contact-point type and settings, from the options of the
 * Alertmanager receiver. Settings Grafana keeps server-wide (the SMTP server) are not per contact point.
 */
const SETTINGS: Readonly<Record<string, (options: Options, config: AnyConfig) => Record<string, unknown>>> = {
  slack: (o, config) => ({
    ...(o.appToken !== undefined
      ? { token: text(o.appToken) }
      : { url: text(o.apiUrl ?? config.globals.slackApiUrl) }),
    ...(o.channel !== undefined && { recipient: o.channel }),
    ...(o.username !== undefined && { username: o.username }),
    ...(o.iconEmoji !== undefined && { icon_emoji: o.iconEmoji }),
    ...(o.iconUrl !== undefined && { icon_url: o.iconUrl }),
    ...(o.title !== undefined && { title: o.title }),
    ...(o.text !== undefined && { text: o.text }),
  }),
  pagerduty: (o) => ({
    integrationKey: text(o.routingKey),
    ...(o.severity !== undefined && { severity: o.severity }),
    ...(o.class !== undefined && { class: o.class }),
    ...(o.component !== undefined && { component: o.component }),
    ...(o.group !== undefined && { group: o.group }),
    ...(o.description !== undefined && { summary: o.description }),
    ...(o.source !== undefined && { source: o.source }),
    ...(o.client !== undefined && { client: o.client }),
    ...(o.clientUrl !== undefined && { client_url: o.clientUrl }),
    ...(o.details !== undefined && { details: o.details }),
  }),
  discord: (o) => ({
    url: text(o.webhookUrl),
    ...(o.title !== undefined && { title: o.title }),
    ...(o.message !== undefined && { message: o.message }),
    ...(o.avatarUrl !== undefined && { avatar_url: o.avatarUrl }),
  }),
  email: (o) => ({
    addresses: o.to,
    singleEmail: false,
    ...(o.text !== undefined && { message: o.text }),
  }),
  webhook: (o) => ({
    url: text(o.url),
    ...(o.maxAlerts !== undefined && { maxAlerts: o.maxAlerts }),
  }),
};

export interface GrafanaNotifications {
  readonly contactPoints: readonly alerting.ContactPoint[];
  readonly policy: alerting.NotificationPolicy;
  /** In Alertmanager's (and Grafana's API) wire spelling: the SDK's TimeInterval type differs from it. */
  readonly muteTimings: readonly MuteTiming[];
  readonly templates: ReadonlyArray<{ name: string; template: string }>;
  readonly source: SourceLocation;
}

function contactPoints(config: AnyConfig, receivers: readonly Receiver[], problems: Diagnostic[]) {
  return receivers.flatMap((receiver) => {
    if (Object.keys(receiver.verbatimFields).length > 0) {
      problems.push({
        severity: 'error',
        id: 'grafana/contact-point',
        message: `receiver ${receiver.name} has verbatim fields, which Grafana contact points cannot take`,
        source: receiver.source,
        hint: 'model the integration with its builder method, or keep the alerts Prometheus-managed',
      });
      return [];
    }
    return receiver.integrations.flatMap((integration, index) => {
      const settings = SETTINGS[integration.type];
      if (!settings) {
        problems.push({
          severity: 'error',
          id: 'grafana/contact-point',
          message: `receiver ${receiver.name}: ${integration.type} is not a contact point o11y builds for Grafana (slack, pagerduty, discord, email, webhook)`,
          source: integration.source,
          hint: 'use one of those integrations, or keep these alerts Prometheus-managed',
        });
        return [];
      }
      const sendResolved =
        (integration.options.sendResolved as boolean | undefined) ?? SENDS_RESOLVED[integration.type]!;
      return [
        new alerting.ContactPointBuilder()
          .uid(`o11y-${shortHash(`${receiver.name}\u0000${index}`, 20)}`)
          .name(receiver.name)
          .type(integration.type as 'slack')
          .settings(settings(integration.options, config))
          .disableResolveMessage(!sendResolved)
          .build(),
      ];
    });
  });
}

function policyOf(route: AnyRoute): alerting.NotificationPolicyBuilder {
  const policy = new alerting.NotificationPolicyBuilder();
  if (route.receiver) policy.receiver(route.receiver.name);
  if (route.matchers.length > 0)
    policy.objectMatchers(route.matchers.map((m) => [m.name, m.operator, m.value]));
  if (route.grouping) policy.groupBy([...route.grouping]);
  if (route.timing.groupWait) policy.groupWait(route.timing.groupWait);
  if (route.timing.groupInterval) policy.groupInterval(route.timing.groupInterval);
  if (route.timing.repeatInterval) policy.repeatInterval(route.timing.repeatInterval);
  if (route.muteIntervals.length > 0) policy.muteTimeIntervals(route.muteIntervals.map((i) => i.name));
  if (route.activeIntervals.length > 0) policy.activeTimeIntervals(route.activeIntervals.map((i) => i.name));
  if (route.continues) policy.continueVal(true);
  if (route.children.length > 0) policy.routes(route.children.map(policyOf));
  return policy;
}

/**
 * The Alertmanager definitions for Grafana's own Alertmanager: the routing tree as the notification
 * policy tree (same matchers, order, `continue`, grouping and timing inheritance: Grafana's is a fork of
 * Alertmanager's dispatcher), each receiver's integrations as contact points of its name, the time
 * intervals as mute timings, the templates as notification templates. Grafana has no inhibition rules.
 */
export function grafanaNotifications<V extends LabelVocabulary>(
  typed: AlertmanagerConfig<V>,
): GrafanaNotifications {
  const config = typed as unknown as AnyConfig;
  const problems: Diagnostic[] = [];
  const { receivers, intervals } = referenced(config);
  const points = contactPoints(config, receivers, problems);
  if (problems.length > 0) throw new O11yErrors(problems);
  return {
    contactPoints: JSON.parse(JSON.stringify(points)),
    policy: JSON.parse(JSON.stringify(policyOf(config.root).build())),
    muteTimings: intervals.map(
      (interval: TimeInterval) => renderTimeInterval(interval) as unknown as MuteTiming,
    ),
    templates: config.templates.map((t) => ({ name: t.fileName.replace(/\.tmpl$/, ''), template: t.text })),
    source: config.source,
  };
}

/** Grafana's alerting file-provisioning documents for the notifications, one per resource kind. */
export function provisionedNotifications(n: GrafanaNotifications) {
  const byName = new Map<string, alerting.ContactPoint[]>();
  for (const point of n.contactPoints) byName.set(point.name!, [...(byName.get(point.name!) ?? []), point]);
  return {
    contactPoints: {
      apiVersion: 1,
      contactPoints: [...byName].map(([name, points]) => ({
        orgId: GRAFANA_ORG_ID,
        name,
        receivers: points.map(({ uid, type, settings, disableResolveMessage }) => ({
          uid,
          type,
          settings,
          disableResolveMessage,
        })),
      })),
      ...(n.templates.length > 0 && {
        templates: n.templates.map((t) => ({ orgId: GRAFANA_ORG_ID, ...t })),
      }),
    },
    policies: { apiVersion: 1, policies: [{ orgId: GRAFANA_ORG_ID, ...n.policy }] },
    muteTimings: {
      apiVersion: 1,
      muteTimes: n.muteTimings.map((m) => ({ orgId: GRAFANA_ORG_ID, ...m })),
    },
  };
}

/**
 * The policy tree as a routing tree for @o11y/alertmanager's route evaluation (`matchRoutes`): Grafana
 * routes with its fork of Alertmanager's dispatcher, so a policy matches, continues and inherits its
 * receiver exactly as a route does, and the routing test cases of the Alertmanager config hold for it.
 */
export function policyRoutes(policy: alerting.NotificationPolicy, inherited = ''): RouteNode {
  const receiver = policy.receiver ?? inherited;
  return {
    receiver,
    matchers: (policy.object_matchers ?? []).map(
      ([name, operator, value]) => ({ name, operator, value }) as Matcher,
    ),
    continues: policy.continue === true,
    routes: (policy.routes ?? []).map((child) => policyRoutes(child, receiver)),
  };
}

/**
 * What Grafana-managed alerting loses of the Alertmanager definition: Grafana's Alertmanager has no
 * inhibition, so each inhibit rule goes on muting only the alerts Prometheus evaluates. One warning per
 * rule, at its line.
 */
export function lostInhibitions<V extends LabelVocabulary>(typed: AlertmanagerConfig<V>): Diagnostic[] {
  const matchers = (list: readonly Matcher[]) => `{${list.map(formatMatcher).join(', ')}}`;
  return typed.inhibitRules.map((rule) => ({
    severity: 'warning',
    id: 'grafana/inhibition',
    message: `inhibit rule "${rule.name}" does not apply to Grafana-managed alerts (Grafana's Alertmanager has no inhibition): alerts matching ${matchers(rule.targetMatching.matchers)} that Grafana evaluates still notify while ${matchers(rule.sourceMatching.matchers)} fires`,
    source: rule.source,
    hint: "keep the rule groups of the muted alerts Prometheus-managed (alerting: 'prometheus'), or express the muting in Grafana (a notification policy or mute timing for those labels)",
  }));
}
