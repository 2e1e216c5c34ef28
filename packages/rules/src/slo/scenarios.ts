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
import type { SliTestInput, Traffic } from './sli.ts';
import { decimal } from './windows.ts';

/** The SLO as the scenarios need it, before its tests exist. */
type SloUnderTest = Omit<Slo, 'tests'>;

/** A burn-rate alert is asserted only where every window is at least this far (relatively) from its threshold. */
const MARGIN = 0.03;
/** Events per scrape in generated traffic, unless the SLO's minimum-traffic condition needs more. */
const EVENTS_PER_STEP = 1000;

/**
 * The error ratio Prometheus computes over a window from counters sampled every step: `rate()` extrapolates
 * bad and total events by the same factor, so the ratio is that of the increments between the first and
 * the last sample inside the window (all of them while the window reaches back before the first sample).
 */
class Model {
  private readonly badSum: number[] = [0];
  private readonly totalSum: number[] = [0];

  constructor(
    traffic: Traffic,
    private readonly stepMs: number,
  ) {
    for (const segment of traffic) {
      for (let i = 0; i < segment.steps; i += 1) {
        this.badSum.push(this.badSum.at(-1)! + segment.bad);
        this.totalSum.push(this.totalSum.at(-1)! + segment.good + segment.bad);
      }
    }
  }

  ratio(step: number, windowMs: number): number | undefined {
    const firstInWindow = Math.floor((step * this.stepMs - windowMs) / this.stepMs) + 1;
    const from = Math.max(0, firstInWindow);
    const total = this.totalSum[step]! - this.totalSum[from]!;
    return total > 0 ? (this.badSum[step]! - this.badSum[from]!) / total : undefined;
  }
}

type State = 'fires' | 'silent' | 'unclear';

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

/** Generated promtool tests of an SLO: fast burn, slow burn, healthy, no traffic, metric absent. */
export function sloTests(slo: SloUnderTest, input: SliTestInput): RuleTests {
  const { source, errorBudget: budget, alerts } = slo;
  const shortestMs = parseDuration(slo.ratioWindows[0]!);
  const stepMs = Math.max(1000, Math.min(60_000, Math.floor(shortestMs / 5 / 1000) * 1000));
  const step = formatDuration(stepMs) as Duration;
  const at = (steps: number) => formatDuration(steps * stepMs) as Duration;
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
  const seriesFor = (t: Traffic) => input.series(t, counterSegments);
  const labels = { ...slo.labels, ...input.groupLabels };
  const groupLabels = { ...input.groupLabels };
  const cases: RuleTestCase[] = [];
  const add = (
    name: string,
    t: Traffic | undefined,
    alertChecks: AlertExpectation[],
    exprs: ExprExpectation[] = [],
  ) =>
    cases.push(
      makeTestCase(
        name,
        { interval: step, input: t ? seriesFor(t) : [], alerts: alertChecks, exprs },
        source,
      ),
    );

  // Burn scenarios: healthy history as long as the longest page window, then a constant error ratio.
  const burn = (ratio: number, target: 'page' | 'ticket', maxSteps: number) => {
    const model = new Model([traffic(healthyRatio, historySteps), traffic(ratio, maxSteps)], stepMs);
    for (let s = historySteps + 1; s <= historySteps + maxSteps; s += 1) {
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
    const before = severityState(slo, found.model, historySteps, target);
    const burnRate = decimal(ratio / budget);
    add(
      `${slo.id}: ${kind} burn at ${burnRate}× the budget ${target === 'page' ? 'pages' : 'opens a ticket'} after ${detectedAfter}`,
      [traffic(healthyRatio, historySteps), traffic(ratio, found.step - historySteps + 1)],
      [
        ...(before === 'silent' ? [silent(rule, at(historySteps))] : []),
        fires(rule, at(found.step), [{ labels: groupLabels }]),
        ...expectState(otherRule, found.other, at(found.step), groupLabels),
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

  // Healthy: half the budget's rate; nothing fires and every recorded series has its expected value.
  const healthySteps = Math.ceil(shortestLongMs / stepMs) + 10;
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
  const quietSteps = Math.ceil((2 * parseDuration(slo.ratioWindows[0]!)) / stepMs) + 5;
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
    const firesAt = formatDuration(forMs + 2 * stepMs) as Duration;
    add(`${slo.id}: a missing metric fires ${alerts.absent.name} after ${alerts.absent.for}`, undefined, [
      ...(forMs > stepMs ? [silent(alerts.absent, formatDuration(forMs - stepMs) as Duration)] : []),
      fires(alerts.absent, firesAt, [{ labels: absentLabels(alerts.absent.expr) }]),
      ...[alerts.page, alerts.ticket].flatMap((r) => (r ? [silent(r, firesAt)] : [])),
    ]);
  }

  return makeRuleTests(
    `slo-${slo.id}`,
    { rules: [slo], file: `slo/${slo.id}`, evaluationInterval: step, tests: cases },
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
