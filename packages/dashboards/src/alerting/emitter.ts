import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import { ALERTMANAGER_CONFIG, type AlertmanagerConfig, type LabelVocabulary } from '@o11y/alertmanager';
import {
  type Artifact,
  type BuildContext,
  type Definition,
  DIST,
  type Diagnostic,
  type Emitter,
  kindOf,
  stableStringify,
  type WrittenArtifact,
} from '@o11y/core';
import { stringify } from 'yaml';
import { DATASOURCE_UIDS } from '../emit/provisioning.ts';
import { ensureSchemas, formatSchemaError, validatorFor } from '../verify/schema.ts';
import type { SchemaFile } from '../verify/schema-sources.ts';
import { grafanaNotifications, lostInhibitions, provisionedNotifications } from './notifications.ts';
import { type GrafanaRuleGroup, grafanaRuleGroups, provisionedGroup } from './rules.ts';

export const ALERTING_ARTIFACT_KIND = {
  ruleGroup: 'grafana-alert-rule-group',
  contactPoints: 'grafana-contact-points',
  policies: 'grafana-notification-policies',
  muteTimings: 'grafana-mute-timings',
  folders: 'grafana-alert-folders',
  provisioning: 'grafana-alerting-provisioning',
} as const;

/** Which generated schema each API-shaped artifact is validated against. */
const SCHEMA_OF: Readonly<Record<string, SchemaFile>> = {
  [ALERTING_ARTIFACT_KIND.ruleGroup]: 'alerting-rule-group.schema.json',
  [ALERTING_ARTIFACT_KIND.policies]: 'alerting-notification-policy.schema.json',
};

/** The artifacts that are lists, and the schema each item is validated against. */
const ITEM_SCHEMA_OF: Readonly<Record<string, SchemaFile>> = {
  [ALERTING_ARTIFACT_KIND.contactPoints]: 'alerting-contact-point.schema.json',
  [ALERTING_ARTIFACT_KIND.muteTimings]: 'alerting-mute-timing.schema.json',
};

const yaml = (value: unknown) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

function ruleArtifacts(groups: readonly GrafanaRuleGroup[]): Artifact[] {
  if (groups.length === 0) return [];
  const anchor = groups[0]!.source;
  const folders = new Map(groups.map(({ folder }) => [folder.uid, folder.title]));
  return [
    ...groups.map(({ folder, group, source }) => ({
      path: DIST.grafana.alerting.ruleGroup(folder.uid, group.title!),
      kind: ALERTING_ARTIFACT_KIND.ruleGroup,
      content: stableStringify(group),
      source,
    })),
    {
      path: DIST.grafana.alerting.folders,
      kind: ALERTING_ARTIFACT_KIND.folders,
      content: stableStringify(Object.fromEntries(folders)),
      source: anchor,
    },
    {
      path: DIST.grafana.provisioning.alerting('rules'),
      kind: ALERTING_ARTIFACT_KIND.provisioning,
      content: yaml({ apiVersion: 1, groups: groups.map(provisionedGroup) }),
      source: anchor,
    },
  ];
}

const alertmanagerConfig = (definitions: readonly Definition[]) =>
  definitions.find((d) => kindOf(d) === ALERTMANAGER_CONFIG) as
    | AlertmanagerConfig<LabelVocabulary>
    | undefined;

/** The Alertmanager config as Grafana's notification policies, contact points and mute timings. */
function notificationArtifacts(config: AlertmanagerConfig<LabelVocabulary>): Artifact[] {
  const notifications = grafanaNotifications(config);
  const files = provisionedNotifications(notifications);
  const source = notifications.source;
  return [
    {
      path: DIST.grafana.alerting.contactPoints,
      kind: ALERTING_ARTIFACT_KIND.contactPoints,
      content: stableStringify(notifications.contactPoints),
      source,
    },
    {
      path: DIST.grafana.alerting.policies,
      kind: ALERTING_ARTIFACT_KIND.policies,
      content: stableStringify(notifications.policy),
      source,
    },
    {
      path: DIST.grafana.alerting.muteTimings,
      kind: ALERTING_ARTIFACT_KIND.muteTimings,
      content: stableStringify(notifications.muteTimings),
      source,
    },
    ...(
      [
        ['contact-points', files.contactPoints],
        ['policies', files.policies],
        ['mute-timings', files.muteTimings],
      ] as const
    ).map(([kind, document]) => ({
      path: DIST.grafana.provisioning.alerting(kind),
      kind: ALERTING_ARTIFACT_KIND.provisioning,
      content: yaml(document),
      source,
    })),
  ];
}

/**
 * Grafana-managed alerting: for the rule groups Grafana evaluates (`alerting` of o11y.config.ts or of
 * the group), the alert rules as the provisioning HTTP API takes them (built with the foundation SDK's
 * alerting builders, read by `o11y publish`) and as Grafana's file provisioning reads them. It owns no
 * definition kind: it reads the rule groups the Prometheus emitter owns.
 */
export const alertingEmitter: Emitter<Promise<readonly Artifact[]>> = {
  name: 'grafana-alerting',
  kinds: [],

  async emit(_own: readonly Definition[], context: BuildContext): Promise<readonly Artifact[]> {
    const groups = grafanaRuleGroups(context.definitions, context.profile, context.alerting ?? 'prometheus');
    if (groups.length === 0) return [];
    // Grafana's alerts notify through Grafana's own Alertmanager: it gets the organisation's routing.
    const config = alertmanagerConfig(context.definitions);
    return [...ruleArtifacts(groups), ...(config ? notificationArtifacts(config) : [])];
  },

  /**
   * Every API-shaped artifact against the schema generated from the SDK's alerting types; and a warning
   * for each inhibit rule, which Grafana's Alertmanager cannot apply.
   */
  async verify(
    artifacts: readonly WrittenArtifact[],
    dir: string,
    context: BuildContext,
  ): Promise<readonly Diagnostic[]> {
    await ensureSchemas();
    const config = alertmanagerConfig(context.definitions);
    const problems: Diagnostic[] = config ? lostInhibitions(config) : [];
    const check = (artifact: WrittenArtifact, schema: SchemaFile, json: unknown, prefix = '') => {
      const validate = validatorFor(schema);
      if (validate(json)) return;
      for (const error of validate.errors ?? []) {
        problems.push({
          severity: 'error',
          id: 'grafana/alerting-schema',
          message: `${artifact.path} does not match the foundation SDK's ${schema}: ${formatSchemaError(error, prefix)}`,
          source: artifact.source,
        });
      }
    };
    for (const artifact of artifacts) {
      const schema = SCHEMA_OF[artifact.kind];
      const itemSchema = ITEM_SCHEMA_OF[artifact.kind];
      if (!schema && !itemSchema) continue;
      const json = JSON.parse(await readFile(path.join(dir, artifact.path), 'utf8')) as alerting.RuleGroup;
      if (schema) check(artifact, schema, json);
      if (itemSchema) {
        for (const [index, item] of (json as unknown[]).entries())
          check(artifact, itemSchema, item, `/${index}`);
      }
      // The rule group schema leaves query models open: a Prometheus query is checked as one.
      for (const [r, rule] of (json.rules ?? []).entries()) {
        for (const [q, query] of (rule.data ?? []).entries()) {
          if (query.datasourceUid === DATASOURCE_UIDS.prometheus)
            check(artifact, 'prometheus-query.schema.json', query.model, `/rules/${r}/data/${q}/model`);
        }
      }
    }
    return problems;
  },
};
