import {
  captureSource,
  DEFINITION,
  type Definition,
  type Duration,
  O11yError,
  type SourceLocation,
} from '@o11y/core';
import { caretLines, isMetricQuery, keptLabels, parseLogql } from '@o11y/logql';
import { checkGroup } from './group.ts';
import { KIND } from './kinds.ts';
import { type AlertMetadata, type AlertOptions, alertMetadata, checkLabels } from './rule.ts';

/**
 * Rules Loki's ruler evaluates: the Prometheus rule-group format with LogQL expressions. Alerts go to the
 * same Alertmanager as the Prometheus alerts; recorded series are remote-written by Loki's ruler to a
 * Prometheus (its `remote_write` configuration), where dashboards and rules read them as metrics.
 */
export interface LokiRecordingRule {
  readonly kind: 'record';
  readonly name: string;
  /** A LogQL metric query. */
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly source: SourceLocation;
}

export interface LokiAlertingRule extends AlertMetadata {
  readonly kind: 'alert';
  /** A LogQL metric query; the alert fires for every series it returns. */
  readonly expr: string;
  /** The labels the expression keeps (its outermost `by`), when the query fixes them. */
  readonly keptLabels: readonly string[] | undefined;
}

export type LokiRule = LokiRecordingRule | LokiAlertingRule;

export interface LokiRuleGroup extends Definition {
  readonly name: string;
  /** The ruler namespace, and the file under dist/loki/rules/ the group is written to. */
  readonly namespace: string;
  readonly interval?: string;
  readonly limit?: number;
  readonly rules: readonly LokiRule[];
}

export interface LokiAlertOptions extends Omit<AlertOptions, 'expr' | 'untested'> {
  /** A LogQL metric query, e.g. `sum by (service) (count_over_time({service="x"} |= "error" [5m])) > 10`. */
  readonly expr: string;
}

export interface LokiRuleGroupOptions {
  /** The ruler namespace the group goes to; groups with the same namespace form one file. Default: the group name. */
  readonly namespace?: string;
  readonly interval?: Duration;
  /** Limit on alerts or series the group's rules may produce; 0 or unset means none. */
  readonly limit?: number;
  readonly rules: readonly LokiRule[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

/** The query, refused at the rule's line (with a caret under the mistake) unless it is a LogQL metric query. */
function checkedLogql(expr: string, what: string, source: SourceLocation): string {
  const parsed = parseLogql(expr);
  if (!parsed.ok) {
    const error = parsed.errors[0]!;
    throw new O11yError(
      `${what}: LogQL does not parse at line ${error.line} column ${error.column}: ${error.message}\n${caretLines(expr, error)}`,
      {
        source,
        id: 'rules/logql-syntax',
        hint: "fix the query as Grafana's LogQL editor would: the caret is under the first token it cannot read",
      },
    );
  }
  if (!isMetricQuery(expr)) {
    throw new O11yError(`${what}: a rule needs a LogQL metric query, and ${expr} returns log lines`, {
      source,
      id: 'rules/logql-log-query',
      hint: 'count or rate the lines, e.g. sum by (service) (count_over_time({…} |= "error" [5m]))',
    });
  }
  return expr;
}

/** A recording rule evaluated by Loki's ruler: a LogQL metric query recorded as a Prometheus series. */
export function lokiRecord(
  name: string,
  expr: string,
  options: { readonly labels?: Readonly<Record<string, string>> } = {},
): LokiRecordingRule {
  const source = captureSource();
  const what = `Loki recording rule ${name}`;
  if (!METRIC_NAME.test(name)) {
    throw new O11yError(`${what}: "${name}" is not a metric name`, {
      source,
      id: 'rules/record-name',
      hint: 'use level:metric:operation, e.g. service:log_lines:rate5m',
    });
  }
  const labels = Object.freeze({ ...(options.labels ?? {}) });
  checkLabels(labels, what, source);
  return Object.freeze({ kind: 'record', name, expr: checkedLogql(expr, what, source), labels, source });
}

/** An alerting rule evaluated by Loki's ruler, with the same labels and annotations as `alert()`. */
export function lokiAlert(name: string, options: LokiAlertOptions): LokiAlertingRule {
  const source = captureSource();
  const expr = checkedLogql(options.expr, `Loki alert ${name}`, source);
  return Object.freeze({
    kind: 'alert',
    expr,
    keptLabels: keptLabels(expr),
    ...alertMetadata(name, options, source),
  });
}

/** A group of Loki rules, evaluated together at one interval by Loki's ruler. */
export function lokiRuleGroup(name: string, options: LokiRuleGroupOptions): LokiRuleGroup {
  const source = captureSource();
  const what = `Loki rule group ${name}`;
  const checked = checkGroup(what, name, options, source);
  const namespace = options.namespace ?? name;
  if (!NAMESPACE.test(namespace)) {
    throw new O11yError(`${what}: namespace "${namespace}" is not a plain name`, {
      source,
      id: 'rules/group-file',
      hint: 'use lower-case letters, digits and . _ -',
    });
  }
  return Object.freeze({
    [DEFINITION]: KIND.lokiGroup,
    source,
    name,
    namespace,
    ...checked,
    rules: Object.freeze([...options.rules]),
  });
}
