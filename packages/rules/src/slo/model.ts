import { type InstantVector, longestScrapeIntervalMs } from '@o11y/catalog';
import { type Definition, type Duration, O11yError, parseDuration, type SourceLocation } from '@o11y/core';
import type { RuleGroup } from '../group.ts';
import { isValidLabelName } from '../labels.ts';
import { compressDuration, type TimeCompression } from '../profile.ts';
import type { RuleTests } from '../promtool/suite.ts';
import type { AlertingRule } from '../rule.ts';
import type { Sli, SliTestInput } from './sli.ts';
import type { SloAlerting, SloOptions } from './spec.ts';
import { type AlertWindow, alertWindows, decimal, defaultWindows, windowName } from './windows.ts';

/** The stable names of the series every SLO records (labels `slo`, `service` and the grouping labels). */
export const SLO_RECORDS = {
  /** Error ratio over a window: `slo:sli_error:ratio_rate5m`, `…_rate1h`, …, `…_rate30d` (the period). */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  periodDays: 'slo:time_period:days',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  errorBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

/**
 * An SLO validated and resolved: its names, labels, windows and texts, everything the generators of
 * its records, alerts and tests read. Built once per SLO (and once more per time-compressed build).
 */
export interface SloModel {
  readonly source: SourceLocation;
  /** `SLO service/name`, the start of every error message about it. */
  readonly what: string;
  readonly id: string;
  readonly service: string;
  readonly team: string;
  readonly name: string;
  readonly description: string;
  readonly objective: number;
  /** 1 − objective, as the decimal it stands for (0.001, not 0.0010000000000000009). */
  readonly errorBudget: number;
  /** The period as it is written in the SLO (`30d`). */
  readonly period: string;
  readonly periodMs: number;
  /** The period as recording-rule names spell it (`30d`, never `4w2d`). */
  readonly periodWindow: string;
  readonly grouping: readonly string[];
  /** The labels every series of this SLO carries besides the grouping labels. */
  readonly labels: { readonly slo: string; readonly service: string };
  readonly windows: readonly AlertWindow[];
  /** Every window with an error-ratio series, shortest first, the period last. */
  readonly ratioWindows: readonly string[];
  /** Windows of a day's worth of a 30-day period and more: they change slowly and go to a slower group. */
  readonly slowFrom: number;
  /** The duration a window's expressions range over (its compressed duration in a time-compressed build). */
  range(window: string): string;
  readonly sli: Sli;
  readonly alerting: SloAlerting;
  /** Names of the burn-rate and absent alerts. */
  readonly alertNames: { readonly burn: string; readonly absent: string };
  /** `service (route {{ $labels.route }})`: the SLO's scope in alert descriptions. */
  readonly scope: string;
  readonly file: string;
  readonly interval: Duration | undefined;
  readonly slowInterval: Duration;
  /** Makes the input of the generated tests; none for SLIs that cannot synthesise it, or when time-compressed. */
  readonly testInput: ((fixed?: Readonly<Record<string, string>>) => SliTestInput) | undefined;
}

export interface SloAlerts {
  readonly page?: AlertingRule;
  readonly ticket?: AlertingRule;
  readonly absent?: AlertingRule;
}

/** The SLO definition: its model's public part, the generated rule groups and tests, and selectors of its series. */
export interface Slo
  extends Definition,
    Pick<
      SloModel,
      | 'id'
      | 'service'
      | 'team'
      | 'name'
      | 'description'
      | 'objective'
      | 'errorBudget'
      | 'grouping'
      | 'labels'
      | 'windows'
      | 'ratioWindows'
      | 'alertNames'
    > {
  /** The period as recording-rule names spell it (`30d`). */
  readonly period: string;
  readonly alerts: SloAlerts;
  readonly groups: readonly RuleGroup[];
  readonly tests: RuleTests | undefined;
  /** The recorded error ratio over a window (an alert window or the period), selected to this SLO. */
  sli(window: string): InstantVector;
  /** The burn rate over a window: the error ratio divided by the error budget. */
  burnRate(window: string): InstantVector;
  readonly errorBudgetRemaining: InstantVector;
  readonly currentBurnRate: InstantVector;
  readonly periodBurnRate: InstantVector;
  readonly objectiveRatio: InstantVector;
  readonly errorBudgetRatio: InstantVector;
  readonly periodDays: InstantVector;
  /** Events a long window must hold before burn-rate alerts may fire. */
  readonly minEvents?: number;
}

const NAME = /^[a-z][a-z0-9_-]*$/;

function pascal(text: string): string {
  return text
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export function percent(ratio: number): string {
  return `${decimal(ratio * 100)}%`;
}

/**
 * Validates an SLO's spec into its model; every problem is a build error at the SLO's line. With a time
 * compression, the windows keep their names and are evaluated over their compressed durations, which
 * must pass the same checks against the compressed period and the compressed profile's scrape interval.
 */
export function sloModel(
  options: SloOptions,
  source: SourceLocation,
  compression?: TimeCompression,
): SloModel {
  const service = typeof options.service === 'string' ? options.service : options.service.name;
  const team = options.team ?? (typeof options.service === 'string' ? undefined : options.service.team);
  const what = `SLO ${service}/${options.name}`;
  const fail = (message: string, id: string, hint?: string): never => {
    throw new O11yError(`${what}: ${message}`, { source, id, ...(hint && { hint }) });
  };
  if (!NAME.test(options.name)) fail('the name must be lower-case letters, digits, - and _', 'slo/name');
  if (!team) fail('no team owns it', 'slo/team', 'pass the service from the service list, or set team');
  const { objective } = options;
  if (!(typeof objective === 'number' && objective > 0 && objective < 1)) {
    fail(
      `objective ${objective} is outside (0, 1)`,
      'slo/objective',
      objective === 1
        ? 'an objective of 100% leaves no error budget: every error would page; use e.g. 0.999'
        : 'write the objective as a ratio, e.g. 0.999 for 99.9%',
    );
  }
  const period = options.period ?? '30d';
  const periodMs = parseDuration(period);
  const grouping = [...(options.grouping ?? [])];
  for (const g of grouping) {
    if (!isValidLabelName(g) || g === 'slo' || g === 'service') {
      fail(
        `cannot group by "${g}"`,
        'slo/grouping',
        'group by labels of the SLI metrics other than slo and service',
      );
    }
  }
  for (const severity of ['page', 'ticket'] as const) {
    for (const [label, values] of Object.entries(options.alerting?.[severity]?.where ?? {})) {
      if (!grouping.includes(label)) {
        fail(
          `the ${severity} alert is limited to values of "${label}", which the SLO is not grouped by`,
          'slo/where',
          `add "${label}" to grouping, so that each of its values has its own budget`,
        );
      }
      if (values.length === 0 || values.some((v) => v === '')) {
        fail(
          `the ${severity} alert's where.${label} lists no value`,
          'slo/where',
          `list the values of ${label} that get the ${severity} alert, or give the ${severity} no windows`,
        );
      }
    }
  }
  let scrapeIntervalMs = 0;
  for (const d of options.sli.declarations)
    scrapeIntervalMs = Math.max(scrapeIntervalMs, longestScrapeIntervalMs(d.jobs));
  const windows = alertWindows(options.alerting?.windows ?? defaultWindows(periodMs), {
    objective,
    periodMs,
    scrapeIntervalMs,
    source,
    what,
  });
  const range = (window: string) => compressDuration(window, compression);
  if (compression) {
    alertWindows(
      windows.map((w) => ({ ...w, long: range(w.long), short: range(w.short) })),
      {
        objective,
        periodMs: parseDuration(range(period)),
        scrapeIntervalMs: compression.scrapeIntervalMs,
        source,
        what: `${what}, time-compressed ${compression.factor}×`,
      },
    );
  }
  const periodWindow = windowName(periodMs);
  const ratioWindows = [...new Set([...windows.flatMap((w) => [w.short, w.long]), periodWindow])].sort(
    (a, b) => parseDuration(a) - parseDuration(b),
  );
  const id = `${service}-${options.name}`;
  const prefix = `${pascal(service)}${pascal(options.name)}`;
  const groupingText = grouping.map((g) => `${g} {{ $labels.${g} }}`).join(', ');
  const testInput = options.testInput ?? options.sli.testInput;
  return {
    source,
    what,
    id,
    service,
    team: team!,
    name: options.name,
    description:
      options.description ?? `${percent(objective)} of ${options.sli.kind} events of ${service} are good`,
    objective,
    errorBudget: decimal(1 - objective),
    period,
    periodMs,
    periodWindow,
    grouping: Object.freeze(grouping),
    labels: Object.freeze({ slo: options.name, service }),
    windows: Object.freeze(windows),
    ratioWindows: Object.freeze(ratioWindows),
    slowFrom: periodMs / 30,
    range,
    sli: options.sli,
    alerting: options.alerting ?? {},
    alertNames: {
      burn: options.alerting?.name ?? `${prefix}ErrorBudgetBurn`,
      absent: `${prefix}SLIAbsent`,
    },
    scope: `${service}${groupingText ? ` (${groupingText})` : ''}`,
    file: `slo/${id}`,
    interval: options.interval,
    slowInterval: options.slowInterval ?? '5m',
    testInput: testInput && !compression ? (fixed) => testInput(grouping, fixed) : undefined,
  };
}
