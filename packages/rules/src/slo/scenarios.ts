import type { InstantVector } from '@o11y/catalog';
import { type Duration, formatDuration, O11yError, parseDuration } from '@o11y/core';
import {
  type AlertExpectation,
  type ExprExpectation,
  fires,
  makeRuleTests,
  makeTestCase,
  near,
  type RuleTestCase,
  type RuleTests,
  samples,
  silent,
} from '../promtool/suite.ts';
import { counterSegments } from '../promtool/values.ts';
import type { AlertingRule } from '../rule.ts';
import type { Slo } from './model.ts';
import type { InputSeries, SliTestInput, Traffic } from './sli.ts';
import type { GroupFilter } from './sli-records.ts';
import type { SloAlerting } from './spec.ts';
import { decimal } from './windows.ts';

/** The SLO as the scenarios need it, before its tests exist. */
type SloUnderTest = Omit<Slo, 'tests'>;

/** A burn-rate alert is asserted only where every window is at least this far (relatively) from its threshold. */
const MARGIN = 0.03;
/** How many times its budget's rate a group bursts at in the isolation scenario. */
const ISOLATION_BURN = 20;
/** Events per scrape in generated traffic, unless the SLO's minimum-traffic condition needs more. */
const EVENTS_PER_STEP = 1000;

/**
 * The error ratio Prometheus computes over a window from counters sampled every step: `rate()` extrapolates
 * bad and total events by the same factor, so the ratio is that of the increments between the first and
 * the last sample inside the window (all of them while the window reaches back before the first sample).
 */
class Model {
  constructor(
    private readonly traffic: Traffic,
    private readonly stepMs: number,
  ) {}

  /** Bad and all events counted up to `step` (samples 1…step): whole segments, then part of one. */
  private sums(step: number): { bad: number; total: number } {
    let bad = 0;
    let total = 0;
    let left = step;
    for (const segment of this.traffic) {
      const steps = Math.min(left, segment.steps);
      bad += steps * segment.bad;
      total += steps * (segment.good + segment.bad);
      left -= steps;
      if (left === 0) break;
    }
    return { bad, total };
  }

  ratio(step: number, windowMs: number): number | undefined {
    const firstInWindow = Math.floor((step * this.stepMs - windowMs) / this.stepMs) + 1;
    const upTo = this.sums(step);
    const before = this.sums(Math.max(0, firstInWindow));
    const total = upTo.total - before.total;
    return total > 0 ? (upTo.bad - before.bad) / total : undefined;
  }
}

type State = 'fires' | 'silent' | 'unclear';

function isTraffic(t: Traffic | InputSeries[]): t is Traffic {
  return t.length === 0 || 'steps' in t[0]!;
}

function severityState(slo: SloUnderTest, model: Model, step: number, severity: 'page' | 'ticket'): State {
  const states = slo.windows
    .filter((w) => w.severity === severity)
    .map((w): State => {
      const ratios = [w.long, w.short].map((window) => model.ratio(step, parseDuration(window)));
      if (ratios.some((r) => r === undefined)) return 'silent';
      if (ratios.every((r) => r! > w.threshold * (1 + MARGIN))) return 'fires';
      if (ratios.some((r) => r! < w.threshold * (1 - MARGIN))) return 'silent';
      return 'unclear';
    });
  if (states.includes('fires')) return 'fires';
  return states.includes('unclear') ? 'unclear' : 'silent';
}

function expectState(
  rule: AlertingRule | undefined,
  state: State,
  at: Duration,
  labels: Record<string, string>,
) {
  if (!rule) return [];
  return [state === 'fires' ? fires(rule, at, [{ labels }]) : silent(rule, at)];
}

/** Whether a group's labels are among the values `where` lets through. */
function allowed(where: GroupFilter, group: Readonly<Record<string, string>>): boolean {
  return Object.entries(where).every(([label, values]) => values.includes(group[label]!));
}

/** The first value of each label of the filters, the earlier filters winning. */
function firstValues(...filters: GroupFilter[]): Record<string, string> {
  const fixed: Record<string, string> = {};
  for (const where of filters.toReversed())
    for (const [label, values] of Object.entries(where)) fixed[label] = values[0]!;
  return fixed;
}

/** The test file (without `.yml`, under dist/prometheus/tests/) of the SLO's generated tests. */
export function sloTestFile(id: string): string {
  return `slo/${id}`;
}

/**
 * Generated promtool tests of an SLO: fast burn, slow burn, healthy, no traffic, metric absent, and for
 * SLOs whose alerts are limited to some groups (`where`), a burst in one group that leaves the other's
 * alerts, burn rates and budget untouched.
 */
export function sloTests(
  slo: SloUnderTest,
  inputFor: (fixed?: Readonly<Record<string, string>>) => SliTestInput,
  alerting: SloAlerting,
): RuleTests {
  const shortestMs = parseDuration(slo.ratioWindows[0]!);
  const stepMs = Math.max(1000, Math.min(60_000, Math.floor(shortestMs / 5 / 1000) * 1000));
  // promtool's time goes into evaluating every rule at every evaluation, not into reading samples: rules
  // evaluated once per shortest window (at most every 5m) instead of at every sample make a test file
  // about 4.5× faster and change nothing the scenarios assert, since a rule reads only samples and what
  // the groups before it (group_eval_order) recorded at the same instant. Assertions are made at evaluations.
  const perEvaluation = Math.max(1, Math.floor(Math.min(shortestMs, 300_000) / stepMs));
  const { source, errorBudget: budget, alerts } = slo;
  const step = formatDuration(stepMs) as Duration;
  const at = (steps: number) => formatDuration(steps * stepMs) as Duration;
  /** The first step at or after `steps` that rules are evaluated at, which is where promtool asserts. */
  const evaluated = (steps: number) => Math.ceil(steps / perEvaluation) * perEvaluation;
  const longestPageMs = Math.max(
    0,
    ...slo.windows.filter((w) => w.severity === 'page').map((w) => parseDuration(w.long)),
  );
  const shortestLongMs = Math.min(...slo.windows.map((w) => parseDuration(w.long)));
  const minEvents = slo.minEvents ?? 0;
  const perStep = Math.max(EVENTS_PER_STEP, Math.ceil((10 * minEvents * stepMs) / shortestLongMs));
  const traffic = (ratio: number, steps: number) => ({
    steps,
    good: decimal(perStep * (1 - ratio)),
    bad: decimal(perStep * ratio),
  });
  const healthyRatio = decimal(budget / 2);
  const historySteps = Math.ceil(Math.max(longestPageMs, shortestLongMs) / stepMs);
  const where = { page: alerting.page?.where ?? {}, ticket: alerting.ticket?.where ?? {} };
  /** The input of a group the severity alerts for (an error if the SLI's test input ignores `fixed`). */
  const inputOf = (fixed: Record<string, string>, severity?: 'page' | 'ticket'): SliTestInput => {
    const made = inputFor(fixed);
    if (Object.entries(fixed).some(([label, value]) => made.groupLabels[label] !== value)) {
      throw new O11yError(
        `SLO ${slo.id}: the test input is for ${JSON.stringify(made.groupLabels)}, not ${JSON.stringify(fixed)}${severity ? `, a group the ${severity} alert is for` : ''}`,
        {
          source,
          id: 'slo/test-input',
          hint: 'give the SLO a testInput that honours its second argument (the grouping label values to use)',
        },
      );
    }
    return made;
  };
  const input = inputOf(firstValues(where.page, where.ticket));
  const seriesFor = (t: Traffic, of: SliTestInput = input) => of.series(t, counterSegments);
  const labels = { ...slo.labels, ...input.groupLabels };
  const groupLabels = { ...input.groupLabels };
  const cases: RuleTestCase[] = [];
  const add = (
    name: string,
    t: Traffic | InputSeries[] | undefined,
    alertChecks: AlertExpectation[],
    exprs: ExprExpectation[] = [],
  ) =>
    cases.push(
      makeTestCase(
        name,
        {
          interval: step,
          input: t === undefined ? [] : isTraffic(t) ? seriesFor(t) : t,
          alerts: alertChecks,
          exprs,
        },
        source,
      ),
    );

  // Burn scenarios: healthy history as long as the longest page window, then a constant error ratio.
  const burn = (ratio: number, target: 'page' | 'ticket', maxSteps: number) => {
    const model = new Model([traffic(healthyRatio, historySteps), traffic(ratio, maxSteps)], stepMs);
    for (let s = evaluated(historySteps + 1); s <= historySteps + maxSteps; s += perEvaluation) {
      const state = severityState(slo, model, s, target);
      const other = severityState(slo, model, s, target === 'page' ? 'ticket' : 'page');
      if (state === 'fires' && other !== 'unclear') return { model, step: s, other };
    }
    return undefined;
  };
  const burnCase = (kind: string, ratio: number, target: 'page' | 'ticket') => {
    const rule = target === 'page' ? alerts.page : alerts.ticket;
    const otherRule = target === 'page' ? alerts.ticket : alerts.page;
    const longestMs = Math.max(...slo.windows.map((w) => parseDuration(w.long)));
    const found = burn(ratio, target, Math.ceil((2 * longestMs) / stepMs));
    if (!rule) return;
    if (!found) {
      throw new O11yError(
        `SLO ${slo.id}: a ${kind} burn at ${decimal(ratio / budget)}× never clearly fires the ${target} alert`,
        {
          source,
          id: 'slo/test-scenario',
          hint: 'ticket thresholds must lie below page thresholds; check the alert windows',
        },
      );
    }
    const detectedAfter = formatDuration((found.step - historySteps) * stepMs);
    // The last evaluation of the healthy history.
    const healthyUntil = Math.floor(historySteps / perEvaluation) * perEvaluation;
    const before = severityState(slo, found.model, healthyUntil, target);
    const burnRate = decimal(ratio / budget);
    const other = target === 'page' ? 'ticket' : 'page';
    const group = allowed(where[target], groupLabels)
      ? input
      : inputOf(firstValues(where[target], where[other]), target);
    add(
      `${slo.id}: ${kind} burn at ${burnRate}× the budget ${target === 'page' ? 'pages' : 'opens a ticket'} after ${detectedAfter}`,
      seriesFor([traffic(healthyRatio, historySteps), traffic(ratio, found.step - historySteps + 1)], group),
      [
        ...(before === 'silent' ? [silent(rule, at(healthyUntil))] : []),
        fires(rule, at(found.step), [{ labels: group.groupLabels }]),
        ...expectState(
          otherRule,
          allowed(where[other], group.groupLabels) ? found.other : 'silent',
          at(found.step),
          group.groupLabels,
        ),
      ],
    );
  };

  const pageWindows = slo.windows.filter((w) => w.severity === 'page');
  const ticketWindows = slo.windows.filter((w) => w.severity === 'ticket');
  if (pageWindows.length > 0) {
    const fastest = Math.max(...pageWindows.map((w) => w.threshold));
    burnCase('fast', decimal(Math.min(2 * fastest, (1 + fastest) / 2)), 'page');
  }
  if (ticketWindows.length > 0) {
    const ticketMax = Math.max(...ticketWindows.map((w) => w.threshold));
    const pageMin =
      pageWindows.length > 0 ? Math.min(...pageWindows.map((w) => w.threshold)) : Math.min(1, 2 * ticketMax);
    burnCase('slow', decimal((ticketMax + pageMin) / 2), 'ticket');
  }

  // Isolation: per label the alerts are limited by, a burst in a second value of it (staging) while the
  // first (production) stays healthy: only the second's alerts may fire, the first's series keep their values.
  for (const label of new Set([...Object.keys(where.page), ...Object.keys(where.ticket)])) {
    const values = [...new Set([...(where.page[label] ?? []), ...(where.ticket[label] ?? [])])];
    if (values.length < 2) continue;
    const [kept, burst] = values as [string, string];
    const keptInput = inputOf({ ...groupLabels, [label]: kept });
    const burstInput = inputOf({ ...groupLabels, [label]: burst });
    const burstRatio = decimal(Math.min(1, ISOLATION_BURN * budget));
    const targets = (['page', 'ticket'] as const).filter(
      (severity) =>
        (severity === 'page' ? alerts.page : alerts.ticket) &&
        allowed(where[severity], burstInput.groupLabels),
    );
    const longestMs = Math.max(...slo.windows.map((w) => parseDuration(w.long)));
    const maxSteps = Math.ceil((2 * longestMs) / stepMs);
    const found = targets.length > 0 ? burn(burstRatio, targets[0]!, maxSteps) : undefined;
    const burstSteps = (found ? found.step : evaluated(historySteps + maxSteps)) - historySteps;
    const model = new Model([traffic(healthyRatio, historySteps), traffic(burstRatio, burstSteps)], stepMs);
    const t = at(historySteps + burstSteps);
    const keptLabels = { ...slo.labels, ...keptInput.groupLabels };
    const burstLabels = { ...slo.labels, ...burstInput.groupLabels };
    const unchanged = (expr: InstantVector, value: number): ExprExpectation => {
      const check = near(expr, t, { labels: keptLabels, value });
      return { ...check, samples: [...check.samples, { labels: burstLabels, value: 0 }] };
    };
    const alertChecks = (['page', 'ticket'] as const).flatMap((severity) => {
      const rule = severity === 'page' ? alerts.page : alerts.ticket;
      if (!targets.includes(severity)) return rule ? [silent(rule, t)] : [];
      const state = severityState(slo, model, historySteps + burstSteps, severity);
      return state === 'unclear' ? [] : expectState(rule, state, t, burstInput.groupLabels);
    });
    add(
      `${slo.id}: a ${decimal(burstRatio / budget)}× burst where ${label}="${burst}" alerts only there, and leaves the burn rates and budget of ${label}="${kept}" as they were`,
      [
        ...seriesFor([traffic(healthyRatio, historySteps + burstSteps)], keptInput),
        ...seriesFor([traffic(healthyRatio, historySteps), traffic(burstRatio, burstSteps)], burstInput),
      ],
      alertChecks,
      [
        unchanged(slo.currentBurnRate, 0.5),
        unchanged(slo.periodBurnRate, 0.5),
        unchanged(slo.errorBudgetRemaining, 0.5),
      ],
    );
  }

  // Healthy: half the budget's rate; nothing fires and every recorded series has its expected value.
  const healthySteps = evaluated(Math.ceil(shortestLongMs / stepMs) + 10);
  const end = at(healthySteps);
  add(
    `${slo.id}: healthy traffic fires nothing and records every window`,
    [traffic(healthyRatio, healthySteps)],
    [alerts.page, alerts.ticket, alerts.absent].flatMap((r) => (r ? [silent(r, end)] : [])),
    [
      ...slo.ratioWindows.map((w) => near(slo.sli(w), end, { labels, value: healthyRatio })),
      near(slo.currentBurnRate, end, { labels, value: 0.5 }),
      near(slo.periodBurnRate, end, { labels, value: 0.5 }),
      near(slo.errorBudgetRemaining, end, { labels, value: 0.5 }),
      samples(slo.objectiveRatio, end, [{ labels: slo.labels, value: slo.objective }]),
      samples(slo.errorBudgetRatio, end, [{ labels: slo.labels, value: budget }]),
      samples(slo.periodDays, end, [
        { labels: slo.labels, value: decimal(parseDuration(slo.period) / 86_400_000) },
      ]),
    ],
  );

  // No traffic: counters exist but do not move. No alert, and no sample at all rather than a NaN.
  const quietSteps = evaluated(Math.ceil((2 * shortestMs) / stepMs) + 5);
  const quiet = at(quietSteps);
  add(
    `${slo.id}: no traffic fires nothing and records no NaN`,
    [{ steps: quietSteps, good: 0, bad: 0 }],
    [alerts.page, alerts.ticket, alerts.absent].flatMap((r) => (r ? [silent(r, quiet)] : [])),
    [
      samples(slo.sli(slo.ratioWindows[0]!), quiet, []),
      samples(slo.sli(slo.period), quiet, []),
      samples(slo.errorBudgetRemaining, quiet, []),
    ],
  );

  // Absent: no series of the SLI at all; only the absent alert fires, once its `for` has passed.
  if (alerts.absent) {
    const forMs = parseDuration(alerts.absent.for ?? '0s');
    // Pending from the first evaluation on, firing at the first evaluation once `for` has passed.
    const forSteps = Math.ceil(forMs / stepMs);
    const firesAt = at(evaluated(forSteps + 2));
    add(`${slo.id}: a missing metric fires ${alerts.absent.name} after ${alerts.absent.for}`, undefined, [
      ...(forMs > 0 ? [silent(alerts.absent, at(evaluated(forSteps) - perEvaluation))] : []),
      fires(alerts.absent, firesAt, [{ labels: absentLabels(alerts.absent.expr) }]),
      ...[alerts.page, alerts.ticket].flatMap((r) => (r ? [silent(r, firesAt)] : [])),
    ]);
  }

  return makeRuleTests(
    `slo-${slo.id}`,
    {
      rules: [slo],
      file: sloTestFile(slo.id),
      evaluationInterval: formatDuration(perEvaluation * stepMs) as Duration,
      tests: cases,
    },
    source,
  );
}

/** The labels `absent(selector)` gives its series: the equality matchers that name a label only once. */
function absentLabels(expr: InstantVector): Record<string, string> {
  const arg = expr.node.type === 'call' ? expr.node.args[0] : undefined;
  const selector = arg?.type === 'selector' ? arg : arg?.type === 'matrix' ? arg.selector : undefined;
  const equal = (selector?.matchers ?? []).filter((m) => m.op === '=');
  const once = equal.filter((m) => equal.filter((o) => o.label === m.label).length === 1);
  return Object.fromEntries(once.map((m) => [m.label, m.value]));
}
