import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import {
  TypeMathBuilder,
  TypeReduceBuilder,
  TypeThresholdBuilder,
} from '@grafana/grafana-foundation-sdk/expr';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type { BinaryNode, Node } from '@o11y/catalog';
import { toPromQL } from '@o11y/catalog';
import {
  type AlertEvaluator,
  compareCodePoints,
  type Definition,
  type Diagnostic,
  formatDuration,
  O11yError,
  O11yErrors,
  parseDuration,
  type SourceLocation,
  shortHash,
  toDiagnostics,
} from '@o11y/core';
import { type AlertingRule, alertEvaluator, plan, type RuleGroup } from '@o11y/rules';
import { DATASOURCE_UIDS } from '../emit/provisioning.ts';

/** Grafana's server-side expressions are queries against this pseudo-datasource. */
const EXPRESSIONS = { type: '__expr__', uid: '__expr__' } as const;
/** Grafana evaluates rule groups on multiples of its base interval (10s by default). */
const BASE_INTERVAL_MS = 10_000;
/** When a group sets no interval: Prometheus's default evaluation interval. */
const DEFAULT_INTERVAL = '1m';
/** The window query A is run over; an instant query only needs its end, the range selectors carry their own. */
const QUERY_WINDOW_SECONDS = 600;
export const GRAFANA_ORG_ID = 1;

/** The Grafana folder of a rule file's alerts (one folder per file keeps alert titles unique in a folder). */
export interface AlertFolder {
  readonly uid: string;
  readonly title: string;
}

export interface GrafanaRuleGroup {
  readonly folder: AlertFolder;
  /** The group as the alerting provisioning HTTP API and the foundation SDK's RuleGroup spell it. */
  readonly group: alerting.RuleGroup;
  readonly source: SourceLocation;
}

/** `o11y-alerts-<file>` with `/` and `.` as `-`, hashed when longer than Grafana's 40-character uid. */
export function folderOf(file: string): AlertFolder {
  const readable = `o11y-alerts-${file.replace(/[/.]/g, '-')}`;
  const uid = readable.length <= 40 ? readable : `o11y-alerts-${shortHash(file, 24)}`;
  return { uid, title: file.split('/').join(' - ') };
}

/** Stable across builds and machines, unique per group and alert; ≤ 40 characters as Grafana requires. */
export function ruleUid(group: string, alert: string): string {
  return `o11y-${shortHash(`${group}\u0000${alert}`, 20)}`;
}

type ThresholdType = 'gt' | 'lt' | 'gte' | 'lte' | 'eq' | 'ne';
const THRESHOLDS: Readonly<Record<string, ThresholdType>> = {
  '>': 'gt',
  '<': 'lt',
  '>=': 'gte',
  '<=': 'lte',
  '==': 'eq',
  '!=': 'ne',
};

/**
 * The comparison of an alert whose expression is `vector <op> number` (a filter, not `bool`): Grafana's
 * threshold repeats it on the last value of each series query A returns, which is the value that passed
 * the filter. Any other expression is a filter whose every returned series fires.
 */
export function comparisonOf(node: Node): { type: ThresholdType; value: number } | undefined {
  if (node.type !== 'binary') return undefined;
  const binary = node as BinaryNode;
  const type = THRESHOLDS[binary.op];
  if (!type || binary.bool || binary.rhs.type !== 'number') return undefined;
  return { type, value: binary.rhs.value };
}

function conditionQuery(rule: AlertingRule): alerting.QueryBuilder {
  const comparison = comparisonOf(rule.expr.node);
  const model = comparison
    ? new TypeThresholdBuilder()
        .refId('C')
        .datasource(EXPRESSIONS)
        .expression('B')
        .conditions([{ evaluator: { type: comparison.type, params: [comparison.value] } }])
    : // `$B == $B` is 1 for every series A returned: PromQL alerts fire on every series of the filter.
      new TypeMathBuilder().refId('C').datasource(EXPRESSIONS).expression('$B == $B');
  return new alerting.QueryBuilder('C').datasourceUid(EXPRESSIONS.uid).model(model);
}

function alertsOf(group: RuleGroup): AlertingRule[] {
  return group.rules.filter((rule): rule is AlertingRule => rule.kind === 'alert');
}

/**
 * Each alert's Grafana title. Grafana refuses two rules of one title in a folder, while Prometheus
 * groups often hold one alert name several times (an SLO's page and ticket burn-rate alerts): those get
 * the labels that tell them apart, `Name (slo_severity=page)`. Grafana names the alert (its `alertname`)
 * after the title, so such alerts route and group under that longer name.
 */
function titlesIn(
  alerts: ReadonlyArray<{ group: RuleGroup; rule: AlertingRule }>,
): Map<AlertingRule, string> {
  const byName = new Map<string, Array<{ group: RuleGroup; rule: AlertingRule }>>();
  for (const entry of alerts) byName.set(entry.rule.name, [...(byName.get(entry.rule.name) ?? []), entry]);
  const titles = new Map<AlertingRule, string>();
  const problems: Diagnostic[] = [];
  for (const [name, same] of byName) {
    if (same.length === 1) {
      titles.set(same[0]!.rule, name);
      continue;
    }
    const labelsOf = ({ group, rule }: { group: RuleGroup; rule: AlertingRule }) => ({
      ...group.labels,
      ...rule.labels,
    });
    const keys = [...new Set(same.flatMap((entry) => Object.keys(labelsOf(entry))))]
      .filter((key) => new Set(same.map((entry) => labelsOf(entry)[key])).size > 1)
      .sort(compareCodePoints);
    const seen = new Set<string>();
    for (const entry of same) {
      const labels = labelsOf(entry);
      const title = `${name} (${keys.map((key) => `${key}=${labels[key] ?? ''}`).join(', ')})`;
      if (keys.length === 0 || seen.has(title)) {
        problems.push(
          new O11yError(`two alerts named ${name} with the same labels land in one Grafana folder`, {
            source: entry.rule.source,
            id: 'grafana/duplicate-alert-title',
            hint: 'Grafana needs alert titles unique in a folder: rename one, or give them different labels',
          }).toDiagnostic(),
        );
      }
      seen.add(title);
      titles.set(entry.rule, title);
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  return titles;
}

function ruleBuilder(
  group: RuleGroup,
  rule: AlertingRule,
  folder: AlertFolder,
  title: string,
): alerting.RuleBuilder {
  const query = new prometheus.DataqueryBuilder()
    .refId('A')
    .datasource({ type: 'prometheus', uid: DATASOURCE_UIDS.prometheus })
    .expr(toPromQL(rule.expr))
    .instant();
  const builder = new alerting.RuleBuilder(title)
    .uid(ruleUid(group.name, title))
    .orgID(GRAFANA_ORG_ID)
    .folderUID(folder.uid)
    .ruleGroup(group.name)
    .queries([
      new alerting.QueryBuilder('A')
        .datasourceUid(DATASOURCE_UIDS.prometheus)
        .relativeTimeRange({ from: QUERY_WINDOW_SECONDS, to: 0 })
        .model(query),
      new alerting.QueryBuilder('B')
        .datasourceUid(EXPRESSIONS.uid)
        .model(new TypeReduceBuilder().refId('B').datasource(EXPRESSIONS).expression('A').reducer('last')),
      conditionQuery(rule),
    ])
    .condition('C')
    .forDuration(rule.for ?? '0s')
    // Prometheus: no series, no alert; a failed evaluation is an error, not a firing alert.
    .noDataState('OK')
    .execErrState('Error')
    .labels(sorted({ ...group.labels, ...rule.labels }))
    .annotations(sorted(rule.annotations))
    .isPaused(false);
  if (rule.keepFiringFor !== undefined) builder.keepFiringFor(rule.keepFiringFor);
  return builder;
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareCodePoints(a, b)));
}

function intervalSeconds(group: RuleGroup): number {
  const ms = parseDuration(group.interval ?? DEFAULT_INTERVAL);
  if (ms % BASE_INTERVAL_MS !== 0) {
    throw new O11yError(
      `rule group ${group.name}: Grafana evaluates every 10s, so its interval ${group.interval} cannot be kept`,
      {
        source: group.source,
        id: 'grafana/rule-group-interval',
        hint: `use a multiple of 10s (e.g. ${formatDuration(Math.max(BASE_INTERVAL_MS, Math.round(ms / BASE_INTERVAL_MS) * BASE_INTERVAL_MS))}), or keep the group Prometheus-managed`,
      },
    );
  }
  return ms / 1000;
}

/**
 * The Grafana-managed form of every alerting rule whose group Grafana evaluates: one Grafana rule
 * group per rule group, in the folder of its rule file. Recording rules stay Prometheus's (Grafana's
 * recording rules write to a datasource of their own and are not what the rule files promise).
 */
export function grafanaRuleGroups(
  definitions: readonly Definition[],
  profile: string,
  projectDefault: AlertEvaluator,
): GrafanaRuleGroup[] {
  const result: GrafanaRuleGroup[] = [];
  const problems: Diagnostic[] = [];
  for (const { file, groups } of plan(definitions, profile, { tests: false }).ruleFiles) {
    const folder = folderOf(file);
    const managed = groups.filter((group) => alertEvaluator(group, projectDefault) !== 'prometheus');
    const titles = titlesIn(managed.flatMap((group) => alertsOf(group).map((rule) => ({ group, rule }))));
    for (const group of managed) {
      const alerts = alertsOf(group);
      if (alerts.length === 0) continue;
      try {
        const built = new alerting.RuleGroupBuilder(group.name)
          .folderUid(folder.uid)
          .interval(intervalSeconds(group))
          .rules(alerts.map((rule) => ruleBuilder(group, rule, folder, titles.get(rule)!)))
          .build();
        // The SDK's query models carry a variant marker function; the JSON is what Grafana and the files get.
        result.push({ folder, group: JSON.parse(JSON.stringify(built)), source: group.source });
      } catch (error) {
        problems.push(...toDiagnostics(error));
      }
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  return result;
}

/** The group as Grafana's alerting file provisioning spells it (`groups:` of an `apiVersion: 1` file). */
export function provisionedGroup({ folder, group }: GrafanaRuleGroup): Record<string, unknown> {
  return {
    orgId: GRAFANA_ORG_ID,
    name: group.title,
    folder: folder.title,
    interval: formatDuration((group.interval ?? 60) * 1000),
    rules: (group.rules ?? []).map((rule) => ({
      uid: rule.uid,
      title: rule.title,
      condition: rule.condition,
      data: rule.data,
      noDataState: rule.noDataState,
      execErrState: rule.execErrState,
      for: rule.for,
      ...(rule.keep_firing_for !== undefined && { keep_firing_for: rule.keep_firing_for }),
      labels: rule.labels,
      annotations: rule.annotations,
      isPaused: rule.isPaused,
    })),
  };
}
