import { absent, type InstantVector, type Recorded, vector } from '@o11y/catalog';
import {
  captureSource,
  DEFINITION,
  type Definition,
  type Duration,
  formatDuration,
  O11yError,
  parseDuration,
  type SourceLocation,
} from '@o11y/core';
import { makeRuleGroup, type RuleGroup } from '../group.ts';
import { KIND } from '../kinds.ts';
import { isValidLabelName, type SloSeverity } from '../labels.ts';
import { compressDuration, type TimeCompression } from '../profile.ts';
import type { RuleTests } from '../promtool/suite.ts';
import { type AlertingRule, makeAlert, makeRecord } from '../rule.ts';
import { sloTests } from './scenarios.ts';
import type { Sli, SliTestInput } from './sli.ts';
import {
  type AlertWindow,
  alertWindows,
  type BurnRateWindow,
  decimal,
  defaultWindows,
  windowName,
} from './windows.ts';

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

export interface SloAlerting {
  /** Burn-rate window pairs; default: the SRE Workbook's, scaled to the period. */
  readonly windows?: readonly BurnRateWindow[];
  /** Burn-rate alerts stay quiet while a long window holds fewer events than this (low-traffic services). */
  readonly minEvents?: number;
  /** The absent alert, on by default; its `for` follows from the budget unless given. */
  readonly absent?: false | { readonly for?: Duration };
  readonly runbookUrl?: string;
  /** Name of the burn-rate alerts; default: service and SLO name in CamelCase + `ErrorBudgetBurn`. */
  readonly name?: string;
  /** Extra labels on the burn-rate and absent alerts (not on `severity`, `team`, `slo`, `service`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra labels of the page or the ticket alert only. */
  readonly page?: { readonly labels?: Readonly<Record<string, string>> };
  readonly ticket?: { readonly labels?: Readonly<Record<string, string>> };
}

/** A service as the catalogue's service list has it, or just its name with a team. */
export type SloService = string | { readonly name: string; readonly team: string };

export interface SloOptions {
  readonly service: SloService;
  /** Owning team; default: the service's team. */
  readonly team?: string;
  /** Short, unique per service: `availability`, `latency`, `checkout`. */
  readonly name: string;
  readonly description?: string;
  /** Share of good events, strictly between 0 and 1, e.g. 0.999. */
  readonly objective: number;
  readonly period?: Duration;
  readonly sli: Sli;
  /** Labels the SLO is computed and alerted per (e.g. `route`); default: one SLO for the whole service. */
  readonly grouping?: readonly string[];
  readonly alerting?: SloAlerting;
  /** Evaluation interval of the short-window group; default: Prometheus's global one. */
  readonly interval?: Duration;
  /** Evaluation interval of the group with the long windows and the period. */
  readonly slowInterval?: Duration;
  /** Test input for SLIs that cannot synthesise their own (raw PromQL). */
  readonly testInput?: (grouping: readonly string[]) => SliTestInput;
}

export interface SloAlerts {
  readonly page?: AlertingRule;
  readonly ticket?: AlertingRule;
  readonly absent?: AlertingRule;
}

export interface Slo extends Definition {
  readonly id: string;
  readonly service: string;
  readonly team: string;
  readonly name: string;
  readonly description: string;
  readonly objective: number;
  /** 1 − objective, as the decimal it stands for (0.001, not 0.0010000000000000009). */
  readonly errorBudget: number;
  readonly period: string;
  readonly grouping: readonly string[];
  /** The labels every series of this SLO carries besides the grouping labels. */
  readonly labels: { readonly slo: string; readonly service: string };
  readonly windows: readonly AlertWindow[];
  /** Every window with an error-ratio series, shortest first, the period last. */
  readonly ratioWindows: readonly string[];
  readonly alerts: SloAlerts;
  /** Names of the burn-rate and absent alerts. */
  readonly alertNames: { readonly burn: string; readonly absent: string };
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

function percent(ratio: number): string {
  return `${decimal(ratio * 100)}%`;
}

/**
 * An SLO: from one definition, the error-ratio recording rules for every alert window and the period,
 * the budget and burn-rate metadata, multi-window multi-burn-rate page and ticket alerts, an absent
 * alert, and promtool tests that prove them.
 */
export function slo(options: SloOptions): Slo {
  return makeSlo(options, captureSource());
}

/** How each SLO was defined, so that a time-compressed build can make it again. */
const DEFINED = new WeakMap<Slo, { readonly options: SloOptions; readonly source: SourceLocation }>();

/**
 * The SLO as a time-compressed build profile deploys it: the same series and alerts, each window's error
 * ratio computed over the compressed window, and no generated tests (they prove the real-time rules).
 */
export function compressedSlo(definition: Slo, compression: TimeCompression): Slo {
  const defined = DEFINED.get(definition);
  if (!defined) {
    throw new O11yError(`SLO ${definition.id} was not made by slo()`, {
      source: definition.source,
      id: 'slo/compression',
      hint: 'make SLOs with slo(), importSloth() or importOpenSlo()',
    });
  }
  return makeSlo(defined.options, defined.source, compression);
}

/**
 * `slo` for generators (imports) that pass the source of their own definition. With a time compression,
 * the windows keep their names and are evaluated over their compressed durations, which must pass the
 * same checks against the compressed period and the compressed profile's scrape interval.
 */
export function makeSlo(options: SloOptions, source: SourceLocation, compression?: TimeCompression): Slo {
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
  const scrapeIntervalMs = Math.max(
    ...options.sli.declarations.flatMap((d) => d.jobs.map((j) => parseDuration(j.scrapeInterval))),
    0,
  );
  const windows = alertWindows(options.alerting?.windows ?? defaultWindows(periodMs), {
    objective,
    periodMs,
    scrapeIntervalMs,
    source,
    what,
  });
  /** The duration a window's expressions range over. */
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
  const errorBudget = decimal(1 - objective);
  const labels = Object.freeze({ slo: options.name, service });
  const periodWindow = windowName(periodMs);
  const ratioWindows = [...new Set([...windows.flatMap((w) => [w.short, w.long]), periodWindow])].sort(
    (a, b) => parseDuration(a) - parseDuration(b),
  );
  const { sli } = options;

  // Error ratio = bad / total, guarded: no traffic gives no sample (never NaN), and error series that do
  // not exist yet count as zero. Every window, the period included, divides summed rates of the raw
  // counters over the whole window, so no short-window ratios are averaged.
  const ratioExpr = (window: string): InstantVector => {
    const total = sli.total(range(window), grouping);
    const errors = sli.errors(range(window), grouping);
    const numerator = sli.errorsMayBeAbsent ? errors.or(total.times(0)) : errors;
    return numerator.div(total.gt(0));
  };
  const recordedRatios = new Map<string, Recorded>();
  for (const window of ratioWindows) {
    recordedRatios.set(
      window,
      makeRecord(SLO_RECORDS.errorRatio(window), ratioExpr(window), { labels }, source),
    );
  }
  const select = (entry: Recorded): InstantVector => entry.select(labels);
  const sliOf = (window: string): InstantVector => {
    const entry = recordedRatios.get(windowName(parseDuration(window)));
    if (!entry) {
      throw new O11yError(`${what} records no error ratio over ${window}`, {
        source: captureSource(),
        id: 'slo/unknown-window',
        hint: `its windows are ${ratioWindows.join(', ')}`,
      });
    }
    return select(entry);
  };
  const shortest = ratioWindows[0]!;
  const objectiveRecord = makeRecord(SLO_RECORDS.objective, vector(objective), { labels }, source);
  const budgetRecord = makeRecord(SLO_RECORDS.errorBudget, vector(errorBudget), { labels }, source);
  const daysRecord = makeRecord(
    SLO_RECORDS.periodDays,
    vector(decimal(periodMs / 86_400_000)),
    { labels },
    source,
  );
  const currentBurn = makeRecord(
    SLO_RECORDS.currentBurnRate,
    sliOf(shortest).div(errorBudget),
    { labels },
    source,
  );
  const periodBurn = makeRecord(
    SLO_RECORDS.periodBurnRate,
    sliOf(periodWindow).div(errorBudget),
    { labels },
    source,
  );
  const remaining = makeRecord(
    SLO_RECORDS.errorBudgetRemaining,
    select(periodBurn).negate().plus(1),
    { labels },
    source,
  );

  // Long windows (a day's worth of a 30-day period and more) change slowly and are costly: own group.
  const slowFrom = periodMs / 30;
  const fast = ratioWindows.filter((w) => parseDuration(w) < slowFrom);
  const slow = ratioWindows.filter((w) => parseDuration(w) >= slowFrom);
  const id = `${service}-${options.name}`;
  const file = `slo/${id}`;
  const prefix = `${pascal(service)}${pascal(options.name)}`;
  const alertNames = {
    burn: options.alerting?.name ?? `${prefix}ErrorBudgetBurn`,
    absent: `${prefix}SLIAbsent`,
  };
  const groupingText = grouping.map((g) => `${g} {{ $labels.${g} }}`).join(', ');
  const scope = `${service}${groupingText ? ` (${groupingText})` : ''}`;
  const description =
    options.description ?? `${percent(objective)} of ${sli.kind} events of ${service} are good`;

  const burnAlert = (severity: SloSeverity): AlertingRule | undefined => {
    const pairs = windows.filter((w) => w.severity === severity);
    if (pairs.length === 0) return undefined;
    const condition = (w: AlertWindow): InstantVector => {
      const both = sliOf(w.long).gt(w.threshold).and(sliOf(w.short).gt(w.threshold));
      if (options.alerting?.minEvents === undefined) return both;
      const events = sli
        .total(range(w.long), grouping)
        .times(parseDuration(range(w.long)) / 1000)
        .gte(options.alerting.minEvents);
      return both.and(events).on(...grouping);
    };
    const expr = pairs.map(condition).reduce((a, b) => a.or(b));
    const rates = pairs.map((w) => `${w.factor}× over ${w.long} and ${w.short}`).join(', or ');
    const consumed = Math.min(...pairs.map((w) => w.budgetConsumed));
    const extra = options.alerting?.[severity]?.labels ?? {};
    return makeAlert(
      alertNames.burn,
      {
        expr,
        severity: severity === 'page' ? 'critical' : 'warning',
        team: team!,
        labels: { ...(options.alerting?.labels ?? {}), ...extra, slo_severity: severity, ...labels },
        summary: `${service} is burning its ${options.name} error budget too fast`,
        description:
          `The ${options.name} SLO of ${scope} (${percent(objective)} over ${period}) is burning its error budget ` +
          `at ${rates} the sustainable rate: at least ${percent(consumed)} of the budget is gone.`,
        ...(options.alerting?.runbookUrl !== undefined && { runbookUrl: options.alerting.runbookUrl }),
      },
      source,
    );
  };
  const page = burnAlert('page');
  const ticket = burnAlert('ticket');

  // Without its metric the SLO is blind; wait as long as the fastest page would take to notice a full
  // outage (the time 100% errors need to cross its long-window threshold), at least 2 minutes.
  let absentRule: AlertingRule | undefined;
  if (options.alerting?.absent !== false) {
    const firstPage =
      windows.filter((w) => w.severity === 'page').sort((a, b) => b.threshold - a.threshold)[0] ??
      windows[0]!;
    const outageDetectionMs =
      Math.ceil((firstPage.threshold * parseDuration(firstPage.long)) / 60_000) * 60_000;
    const absentFor = options.alerting?.absent?.for ?? formatDuration(Math.max(outageDetectionMs, 120_000));
    absentRule = makeAlert(
      alertNames.absent,
      {
        expr: absent(sli.presence()),
        for: absentFor as Duration,
        severity: 'warning',
        team: team!,
        labels: { ...(options.alerting?.labels ?? {}), ...labels },
        summary: `The ${options.name} SLO of ${service} has no data`,
        description: `No series of the ${options.name} SLI of ${service}: the SLO cannot see errors until the metric is scraped again.`,
        ...(options.alerting?.runbookUrl !== undefined && { runbookUrl: options.alerting.runbookUrl }),
      },
      source,
    );
  }

  const slowInterval = options.slowInterval ?? '5m';
  const groups = [
    makeRuleGroup(
      `slo-${id}-sli`,
      {
        file,
        ...(options.interval && { interval: options.interval }),
        rules: [...fast.map((w) => recordedRatios.get(w)!), currentBurn],
      },
      source,
    ),
    makeRuleGroup(
      `slo-${id}-sli-long`,
      {
        file,
        interval: slowInterval,
        rules: [
          ...slow.map((w) => recordedRatios.get(w)!),
          objectiveRecord,
          budgetRecord,
          daysRecord,
          periodBurn,
          remaining,
        ],
      },
      source,
    ),
    makeRuleGroup(
      `slo-${id}-alerts`,
      {
        file,
        ...(options.interval && { interval: options.interval }),
        rules: [page, ticket, absentRule].filter((r): r is AlertingRule => r !== undefined),
      },
      source,
    ),
  ];

  const definition: Omit<Slo, 'tests'> & { tests: RuleTests | undefined } = {
    [DEFINITION]: KIND.slo,
    source,
    id,
    service,
    team: team!,
    name: options.name,
    description,
    objective,
    errorBudget,
    period: periodWindow,
    grouping: Object.freeze(grouping),
    labels,
    windows: Object.freeze(windows),
    ratioWindows: Object.freeze(ratioWindows),
    alerts: Object.freeze({
      ...(page && { page }),
      ...(ticket && { ticket }),
      ...(absentRule && { absent: absentRule }),
    }),
    alertNames,
    groups: Object.freeze(groups),
    tests: undefined,
    sli: sliOf,
    burnRate: (window: string) => sliOf(window).div(errorBudget),
    errorBudgetRemaining: select(remaining),
    currentBurnRate: select(currentBurn),
    periodBurnRate: select(periodBurn),
    objectiveRatio: select(objectiveRecord),
    errorBudgetRatio: select(budgetRecord),
    periodDays: select(daysRecord),
    ...(options.alerting?.minEvents !== undefined && { minEvents: options.alerting.minEvents }),
  };
  const testInput = options.testInput ?? sli.testInput;
  definition.tests = testInput && !compression ? sloTests(definition, testInput(grouping)) : undefined;
  const made = Object.freeze(definition);
  DEFINED.set(made, { options, source });
  return made;
}
