import {
  type InstantVector,
  isRaw,
  type LabelSpec,
  label,
  type Recorded,
  recorded,
  type SampleKind,
  InstantVector as Vector,
} from '@o11y/catalog';
import {
  captureSource,
  type Duration,
  formatDuration,
  O11yError,
  parseDuration,
  type SourceLocation,
} from '@o11y/core';
import { isValidLabelName, type Severity } from './labels.ts';

/** A rule that `o11y test` need not cover, with the reason a reviewer can judge. */
export interface CoverageOptOut {
  readonly untested?: string;
}

export interface RecordingRule {
  readonly kind: 'record';
  readonly name: string;
  readonly expr: InstantVector;
  readonly labels: Readonly<Record<string, string>>;
  readonly source: SourceLocation;
  /** Why no promtool test evaluates this rule, when none does on purpose. */
  readonly untested?: string;
  /** The catalogue entry of the recorded series, selectable like a metric. */
  readonly output: Recorded;
}

export interface AlertingRule {
  readonly kind: 'alert';
  readonly name: string;
  readonly expr: InstantVector;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly severity: Severity;
  readonly team: string;
  /** Every static label, `severity` and `team` included. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly source: SourceLocation;
  readonly untested?: string;
}

export type Rule = RecordingRule | AlertingRule;

const RECORDING = new WeakMap<object, RecordingRule>();

/** The recording rule behind a catalogue entry made by `record()`. */
export function recordingRuleOf(entry: object): RecordingRule | undefined {
  return RECORDING.get(entry);
}

export interface RecordOptions extends CoverageOptOut {
  /** Static labels the rule adds to (or overwrites on) every series it records. */
  readonly labels?: Readonly<Record<string, string>>;
}

export function checkLabels(
  labels: Readonly<Record<string, string>>,
  what: string,
  source: SourceLocation,
): void {
  for (const [name, value] of Object.entries(labels)) {
    if (!isValidLabelName(name)) {
      throw new O11yError(`${what}: "${name}" is not a valid label name`, {
        source,
        id: 'rules/label-name',
        hint: 'label names match [a-zA-Z_][a-zA-Z0-9_]* and must not start with __',
      });
    }
    if (typeof value !== 'string' || value === '') {
      throw new O11yError(`${what}: label ${name} needs a non-empty string value`, {
        source,
        id: 'rules/label-value',
      });
    }
  }
}

function checkOptOut(untested: string | undefined, what: string, source: SourceLocation): void {
  if (untested !== undefined && untested.trim().length < 10) {
    throw new O11yError(`${what}: the reason it is untested is too short to review`, {
      source,
      id: 'rules/untested-reason',
      hint: 'say in a sentence why no promtool test can or needs to cover this rule',
    });
  }
}

/**
 * A recording rule. It returns the catalogue entry of its output, so dashboards and other rules select
 * the recorded series like a metric (`sum(rec.select({...}))`), with the expression's labels plus the
 * static ones.
 */
export function record<
  const N extends string,
  L extends string,
  K extends SampleKind,
  const S extends string = never,
>(
  name: N,
  expr: InstantVector<L, K>,
  options: RecordOptions & { readonly labels?: Readonly<Record<S, string>> } = {},
): Recorded<N, L | S, K> {
  return makeRecord<N, L, K, S>(name, expr, options, captureSource());
}

/** The expression's output as recorded with static labels: each has the one value the rule gives it. */
function withStaticLabels<L extends string, K extends SampleKind, S extends string>(
  expr: InstantVector<L, K>,
  labels: Readonly<Record<string, string>>,
): InstantVector<L | S, K> {
  const specs: Record<string, LabelSpec> = { ...expr.specs };
  for (const [labelName, value] of Object.entries(labels)) specs[labelName] = label.values([value]);
  return new Vector(expr.node, [...expr.labels, ...Object.keys(labels)] as (L | S)[], expr.kind, specs);
}

/** `record` for generators (SLOs, imports) that pass the source of their own definition. */
export function makeRecord<
  const N extends string,
  L extends string,
  K extends SampleKind,
  const S extends string = never,
>(
  name: N,
  expr: InstantVector<L, K>,
  options: RecordOptions & { readonly labels?: Readonly<Record<S, string>> },
  source: SourceLocation,
): Recorded<N, L | S, K> {
  const labels = Object.freeze({ ...(options.labels ?? {}) }) as Readonly<Record<string, string>>;
  checkLabels(labels, `recording rule ${name}`, source);
  checkOptOut(options.untested, `recording rule ${name}`, source);
  // Without static labels the output is the expression's own: no copy of it to keep per rule.
  const withStatic: InstantVector<L | S, K> =
    Object.keys(labels).length === 0 ? expr : withStaticLabels<L, K, S>(expr, labels);
  const output = recorded(name, withStatic, source);
  const rule: RecordingRule = Object.freeze({
    kind: 'record',
    name,
    expr,
    labels,
    source,
    output,
    ...(options.untested !== undefined && { untested: options.untested }),
  });
  RECORDING.set(output, rule);
  return output;
}

export interface AlertOptions extends CoverageOptOut {
  readonly expr: InstantVector;
  /** How long the condition must hold before the alert fires. */
  readonly for?: Duration;
  /** How long the alert keeps firing after the condition cleared (stops flapping on noisy signals). */
  readonly keepFiringFor?: Duration;
  readonly severity: Severity;
  /** The owning team; Alertmanager routes on it. */
  readonly team: string;
  /** One sentence, no templating of values: what is wrong. */
  readonly summary: string;
  /** What is happening and its impact; may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly description: string;
  readonly runbookUrl?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

function canonicalDuration(
  value: string | undefined,
  what: string,
  source: SourceLocation,
): string | undefined {
  if (value === undefined) return undefined;
  try {
    return formatDuration(parseDuration(value));
  } catch (error) {
    throw new O11yError(`${what}: ${(error as Error).message}`, {
      source,
      id: 'rules/duration',
      hint: 'use 5m, 1h30m, …',
    });
  }
}

/** An alerting rule with the conventional labels (`severity`, `team`) and annotations. */
export function alert(name: string, options: AlertOptions): AlertingRule {
  return makeAlert(name, options, captureSource());
}

/** An alert's fields other than its expression, as every alerting-rule builder checks and spells them. */
export type AlertMetadata = Omit<AlertingRule, 'kind' | 'expr'>;

/** The checked metadata of an alert (labels, annotations, durations) whatever language its expression is in. */
export function alertMetadata(
  name: string,
  options: Omit<AlertOptions, 'expr'>,
  source: SourceLocation,
): AlertMetadata {
  const what = `alert ${name}`;
  if (name.trim() === '') throw new O11yError('an alert needs a name', { source, id: 'rules/alert-name' });
  const extra = options.labels ?? {};
  for (const reserved of ['severity', 'team', 'alertname']) {
    if (reserved in extra) {
      throw new O11yError(`${what}: set ${reserved} with its own option, not in labels`, {
        source,
        id: 'rules/alert-label',
      });
    }
  }
  checkLabels(extra, what, source);
  checkOptOut(options.untested, what, source);
  const annotations: Record<string, string> = {
    ...(options.annotations ?? {}),
    summary: options.summary,
    description: options.description,
  };
  if (options.runbookUrl !== undefined) annotations.runbook_url = options.runbookUrl;
  const forDuration = canonicalDuration(options.for, `${what} for`, source);
  const keepFiringFor = canonicalDuration(options.keepFiringFor, `${what} keepFiringFor`, source);
  return {
    name,
    ...(forDuration !== undefined && forDuration !== '0s' && { for: forDuration }),
    ...(keepFiringFor !== undefined && keepFiringFor !== '0s' && { keepFiringFor }),
    severity: options.severity,
    team: options.team,
    labels: Object.freeze({ ...extra, severity: options.severity, team: options.team }),
    annotations: Object.freeze(annotations),
    source,
    ...(options.untested !== undefined && { untested: options.untested }),
  };
}

/** `alert` for generators (SLOs, imports) that pass the source of their own definition. */
export function makeAlert(name: string, options: AlertOptions, source: SourceLocation): AlertingRule {
  return Object.freeze({ kind: 'alert', expr: options.expr, ...alertMetadata(name, options, source) });
}

/** Whether a rule's expression goes through the raw-PromQL escape hatch anywhere. */
export function usesRawPromQL(rule: Rule): boolean {
  return isRaw(rule.expr);
}
