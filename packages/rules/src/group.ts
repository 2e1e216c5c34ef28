import type { Recorded } from '@o11y/catalog';
import {
  ALERT_EVALUATORS,
  type AlertEvaluator,
  captureSource,
  DEFINITION,
  type Definition,
  type Duration,
  formatDuration,
  O11yError,
  parseDuration,
  type SourceLocation,
} from '@o11y/core';
import { KIND } from './kinds.ts';
import { isValidLabelName } from './labels.ts';
import { type AlertingRule, type Rule, recordingRuleOf } from './rule.ts';

export interface RuleGroup extends Definition {
  readonly name: string;
  /** The rule file (without `.yml`) under dist/prometheus/rules/ the group is written to. */
  readonly file: string;
  readonly interval?: string;
  /** Limit on alerts or series the group's rules may produce; 0 or unset means none. */
  readonly limit?: number;
  readonly queryOffset?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly Rule[];
  /** Who evaluates the group's alerts when the group chooses; otherwise `alerting` of o11y.config.ts. */
  readonly alerting?: AlertEvaluator;
}

export interface RuleGroupOptions {
  /** Rule file the group goes to; groups with the same file form one rule file. Default: the group name. */
  readonly file?: string;
  readonly interval?: Duration;
  readonly limit?: number;
  readonly queryOffset?: Duration;
  /** Labels added to every rule of the group (Prometheus 3 group labels). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Alerting rules from `alert()` and recording rules from `record()`, in evaluation order. */
  readonly rules: readonly (AlertingRule | Recorded)[];
  /**
   * Who evaluates this group's alerting rules: `prometheus` (its rule file), `grafana` (Grafana-managed
   * rules on the same PromQL) or `both`. Default: `alerting` of o11y.config.ts's defineProject.
   */
  readonly alerting?: AlertEvaluator;
}

const FILE_NAME = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

function toRule(entry: AlertingRule | Recorded, group: string, source: SourceLocation): Rule {
  if ('kind' in entry && entry.kind === 'alert') return entry;
  const rule = recordingRuleOf(entry);
  if (!rule) {
    throw new O11yError(`rule group ${group} lists ${String(entry)}, which is not a rule`, {
      source,
      id: 'rules/not-a-rule',
      hint: 'create recording rules with record(name, expr) and alerting rules with alert(name, {...})',
    });
  }
  return rule;
}

/** A rule group: rules Prometheus evaluates together, in order, at one interval. */
export function ruleGroup(name: string, options: RuleGroupOptions): RuleGroup {
  return makeRuleGroup(name, options, captureSource());
}

/** The checks every rule group passes (name, rules, interval, limit), and its canonical interval. */
export function checkGroup(
  what: string,
  name: string,
  options: { readonly rules: readonly unknown[]; readonly interval?: Duration; readonly limit?: number },
  source: SourceLocation,
): { interval?: string; limit?: number } {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9:._-]*$/.test(name)) {
    throw new O11yError(`${what}: the name must be letters, digits, and . _ - :`, {
      source,
      id: 'rules/group-name',
    });
  }
  if (options.rules.length === 0) {
    throw new O11yError(`${what} has no rules`, {
      source,
      id: 'rules/group-empty',
      hint: 'add rules or remove the group',
    });
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
    throw new O11yError(`${what}: limit must be a whole number ≥ 0`, { source, id: 'rules/group-limit' });
  }
  const interval = options.interval === undefined ? undefined : parseDuration(options.interval);
  if (interval === 0) {
    throw new O11yError(`${what}: interval must be positive`, { source, id: 'rules/group-interval' });
  }
  return {
    ...(interval !== undefined && { interval: formatDuration(interval) }),
    ...(options.limit !== undefined && options.limit > 0 && { limit: options.limit }),
  };
}

/** `ruleGroup` for generators (SLOs, imports) that pass the source of their own definition. */
export function makeRuleGroup(name: string, options: RuleGroupOptions, source: SourceLocation): RuleGroup {
  const what = `rule group ${name}`;
  const checked = checkGroup(what, name, options, source);
  const file = options.file ?? name;
  if (!FILE_NAME.test(file)) {
    throw new O11yError(`${what}: file "${file}" is not a plain relative name`, {
      source,
      id: 'rules/group-file',
      hint: 'use lower-case letters, digits, . _ - and / between folders, without .yml',
    });
  }
  const labels = Object.freeze({ ...(options.labels ?? {}) });
  for (const labelName of Object.keys(labels)) {
    if (!isValidLabelName(labelName)) {
      throw new O11yError(`${what}: "${labelName}" is not a valid label name`, {
        source,
        id: 'rules/label-name',
      });
    }
  }
  if (options.alerting !== undefined && !ALERT_EVALUATORS.includes(options.alerting)) {
    throw new O11yError(`${what}: alerting must be one of ${ALERT_EVALUATORS.join(', ')}`, {
      source,
      id: 'rules/group-alerting',
    });
  }
  const rules = options.rules.map((entry) => toRule(entry, name, source));
  const queryOffset =
    options.queryOffset === undefined ? undefined : formatDuration(parseDuration(options.queryOffset));
  return Object.freeze({
    [DEFINITION]: KIND.group,
    source,
    name,
    file,
    ...checked,
    ...(queryOffset !== undefined && { queryOffset }),
    labels,
    rules: Object.freeze(rules),
    ...(options.alerting !== undefined && { alerting: options.alerting }),
  });
}

/** Who evaluates a group's alerts: its own choice, else the project's (`alerting` of o11y.config.ts). */
export function alertEvaluator(group: RuleGroup, projectDefault: AlertEvaluator): AlertEvaluator {
  return group.alerting ?? projectDefault;
}

/**
 * The group as Prometheus evaluates it: without its alerting rules when Grafana alone evaluates them
 * (recording rules are always Prometheus's); undefined when nothing is left.
 */
export function prometheusPart(group: RuleGroup, projectDefault: AlertEvaluator): RuleGroup | undefined {
  if (alertEvaluator(group, projectDefault) !== 'grafana') return group;
  const records = group.rules.filter((rule) => rule.kind === 'record');
  if (records.length === 0) return undefined;
  return Object.freeze({ ...group, rules: Object.freeze(records) });
}
