import { keepLabels, toPromQL } from '@o11y/catalog';
import { compareCodePoints } from '@o11y/core';
import type { RuleGroup } from '../group.ts';
import type { LokiRule, LokiRuleGroup } from '../loki.ts';
import type { Rule } from '../rule.ts';

export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort(compareCodePoints)
      .map((k) => [k, record[k]!]),
  );
}

/**
 * A rule as Prometheus's rule-file format spells it, keys in the conventional order; Loki's ruler reads
 * the same format with LogQL expressions.
 */
export function ruleYaml(rule: Rule | LokiRule, kept: readonly string[] = []): Record<string, unknown> {
  const expr = typeof rule.expr === 'string' ? rule.expr : toPromQL(keepLabels(rule.expr.node, kept).node);
  if (rule.kind === 'record') {
    return {
      record: rule.name,
      expr,
      ...(Object.keys(rule.labels).length > 0 && { labels: sortedRecord(rule.labels) }),
    };
  }
  return {
    alert: rule.name,
    expr,
    ...(rule.for !== undefined && { for: rule.for }),
    ...(rule.keepFiringFor !== undefined && { keep_firing_for: rule.keepFiringFor }),
    labels: sortedRecord(rule.labels),
    annotations: sortedRecord(rule.annotations),
  };
}

export interface GroupYamlOptions {
  /** The `test` profile evaluates every group at the global (1s) interval instead of its own. */
  readonly dropIntervals?: boolean;
  /** Labels every aggregation and matching keeps (see `keepLabels` of @o11y/catalog). */
  readonly keepLabels?: readonly string[];
}

export function groupYaml(
  group: RuleGroup | LokiRuleGroup,
  options: GroupYamlOptions = {},
): Record<string, unknown> {
  const prometheus = 'labels' in group ? group : undefined;
  return {
    name: group.name,
    ...(group.interval !== undefined && !options.dropIntervals && { interval: group.interval }),
    ...(group.limit !== undefined && { limit: group.limit }),
    ...(prometheus?.queryOffset !== undefined && { query_offset: prometheus.queryOffset }),
    ...(prometheus &&
      Object.keys(prometheus.labels).length > 0 && { labels: sortedRecord(prometheus.labels) }),
    rules: group.rules.map((rule) => ruleYaml(rule, options.keepLabels)),
  };
}
