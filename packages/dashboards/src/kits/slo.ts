import * as units from '@grafana/grafana-foundation-sdk/units';
import { count, filterSelectors, type InstantVector, type Match, max, re, vector } from '@o11y/catalog';
import { captureSource, type Definition, kindOf, O11yError } from '@o11y/core';
import { KIND } from '@o11y/rules';
import { Dashboard } from '../builder/dashboard.ts';
import type { Folder } from '../builder/folder.ts';
import type { Panel } from '../builder/panel.ts';
import { stat, timeseries } from '../builder/panels.ts';
import { labelValues, ref, type Variable } from '../builder/variables.ts';
import type { DashboardDimensions } from './dimensions.ts';
import { serviceTag } from './red.ts';

/**
 * What the SLO dashboards read from an SLO of @o11y/rules: its generated recording rules by typed
 * reference (never by a copied name) and its alert windows with the thresholds the alerts compare to.
 */
export interface SloReference {
  readonly service: string;
  readonly team: string;
  readonly name: string;
  readonly description: string;
  readonly objective: number;
  readonly period: string;
  /** Labels the SLO is computed per (e.g. `environment`): its series carry them, the dashboards filter by them. */
  readonly grouping: readonly string[];
  readonly windows: readonly {
    readonly severity: string;
    readonly long: string;
    readonly short: string;
    readonly factor: number;
    readonly threshold: number;
  }[];
  readonly alertNames: { readonly burn: string; readonly absent: string };
  /** The burn-rate alerts, by severity. */
  readonly alerts: {
    readonly page?: { readonly expr: InstantVector };
    readonly ticket?: { readonly expr: InstantVector };
  };
  sli(window: string): InstantVector;
  burnRate(window: string): InstantVector;
  readonly errorBudgetRemaining: InstantVector;
  readonly currentBurnRate: InstantVector;
  /** The SLO's constants as Prometheus records them (`slo:objective:ratio`, …): what the server evaluates. */
  readonly objectiveRatio: InstantVector;
  readonly errorBudgetRatio: InstantVector;
  readonly periodDays: InstantVector;
}

/**
 * Every SLO the build collects, from whichever module defines it: a dashboard given this instead of a
 * list is filled when the build emits it, so an SLO in a module of its own still shows.
 */
export const EVERY_SLO = Symbol('every SLO of the build');

/** The SLOs a dashboard shows: a list, or every SLO of the build. */
export type SloSelection = readonly SloReference[] | typeof EVERY_SLO;

interface BuildSlos {
  readonly all: readonly SloReference[];
  readonly byService: ReadonlyMap<string, readonly SloReference[]>;
}

/**
 * The SLOs of a build, found once per build: every service's SLO dashboard asks for them, and a scan
 * of every definition per dashboard grows with the square of the services.
 */
const slosByBuild = new WeakMap<readonly Definition[], BuildSlos>();

function buildSlos(definitions: readonly Definition[]): BuildSlos {
  const known = slosByBuild.get(definitions);
  if (known) return known;
  const all = definitions.filter((d) => kindOf(d) === KIND.slo) as unknown as SloReference[];
  const byService = new Map<string, SloReference[]>();
  for (const slo of all) {
    const own = byService.get(slo.service);
    if (own) own.push(slo);
    else byService.set(slo.service, [slo]);
  }
  const found = { all, byService };
  slosByBuild.set(definitions, found);
  return found;
}

/** The SLOs among the build's definitions, in the order the build collected them. */
export function slosOfBuild(definitions: readonly Definition[]): SloReference[] {
  return [...buildSlos(definitions).all];
}

/**
 * Fills `board` with `slos` now, or, at every build, a copy of it with every SLO of the build (those of
 * `service` when given): `fill` changes only the dashboard it is given, so the definition keeps no
 * build's panels (`Dashboard.eachBuild`).
 */
function withSlos(
  board: Dashboard,
  slos: SloSelection,
  fill: (target: Dashboard, slos: readonly SloReference[]) => void,
  service?: string,
): Dashboard {
  if (slos !== EVERY_SLO) fill(board, slos);
  else
    board.eachBuild((definitions, target) => {
      const found = buildSlos(definitions);
      fill(target, service === undefined ? found.all : (found.byService.get(service) ?? []));
    });
  return board;
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(12))}%`;
}

const SECONDS_PER_DAY = 86_400;

/**
 * The error budget left, as the time a full outage could last before it is spent: remaining share ×
 * error budget × period, from the recorded constants (what Prometheus evaluates). The constants carry
 * only `slo` and `service`, the remaining share also the grouping labels: many-to-one on those two.
 */
function outageTimeLeft(slo: SloReference, filter: Filter): InstantVector {
  const recorded = filter(slo.errorBudgetRatio.times(slo.periodDays).times(SECONDS_PER_DAY));
  // Every cluster records the same constants (one build): with several selected, keep one of each.
  const budgetSeconds = filter.external ? max(recorded).by('slo', 'service') : recorded;
  return filter(slo.errorBudgetRemaining).times(budgetSeconds).on('slo', 'service').groupLeft();
}

/** Adds the dashboard's variables to every selector of a query that carries their labels. */
interface Filter {
  (expr: InstantVector): InstantVector;
  /** Whether it filters by `external_labels` (every series carries them). */
  readonly external: boolean;
}

/**
 * A multi-value variable (with All) for each grouping label of the SLOs (`environment`) and each
 * dimension from `external_labels` (`cluster`, on every series of the central store), and the filter that
 * applies them to every query: staging's budget is never shown as production's.
 */
function groupingFilter(
  slos: readonly SloReference[],
  dimensions: DashboardDimensions,
): { variables: Variable[]; filter: Filter } {
  const external = dimensions.enabled.filter((d) => d.source === 'external_labels').map((d) => d.label);
  const variables: Variable[] = [];
  const matchers: Record<string, Match> = {};
  const filter = Object.assign((expr: InstantVector) => filterSelectors(expr, matchers, { external }), {
    external: external.length > 0,
  });
  const grouping = [...new Set(slos.flatMap((slo) => slo.grouping))].sort();
  for (const label of [...grouping, ...external.filter((l) => !grouping.includes(l))]) {
    const carrier = slos.find((slo) => slo.grouping.includes(label)) ?? slos[0];
    if (!carrier) continue;
    const name = dimensions.enabled.find((d) => d.label === label)?.name ?? label;
    const variable = labelValues(name, filter(carrier.errorBudgetRemaining), { label });
    variables.push(variable);
    matchers[label] = re(ref(variable));
  }
  return { variables, filter };
}

/**
 * One row of panels for one SLO: SLI over the period against the objective, error budget left (as a
 * share and as outage time), current burn rate and firing alerts; the error ratio over each alert window
 * with the thresholds its burn-rate alerts compare to; burn rate and SLI over the shortest window. The
 * objective is both drawn from the build's constant (threshold) and read from its recorded series: were
 * the deployed rules older than the dashboard, the two would differ on screen.
 */
/** A legend for a series of the SLO that also names its group (`{{environment}}`), one series per group. */
export function sloLegend(slo: Pick<SloReference, 'grouping'>, legend: string): string {
  return [legend, ...slo.grouping.map((label) => `{{${label}}}`)].filter(Boolean).join(' ');
}

function sloPanels(slo: SloReference, filter: Filter): Panel[] {
  const per = (legend: string) => sloLegend(slo, legend);
  const shortest = [...slo.windows].sort((a, b) => a.factor - b.factor).at(-1)!;
  const panels: Panel[] = [
    stat(`SLI over ${slo.period}`)
      .description(
        `Share of good events over the SLO period, next to the objective Prometheus records; red below the ${percent(slo.objective)} objective.`,
      )
      .unit(units.PercentUnit)
      .query(filter(slo.sli(slo.period)).negate().plus(1), per('SLI'))
      .query(filter(slo.objectiveRatio), 'objective')
      .threshold(slo.objective, { when: 'below' }),
    stat('Error budget remaining')
      .description(
        `Share of the period's error budget not yet spent, and the same as the time a full outage could last before it is gone (remaining share × error budget × ${slo.period}); red once spent.`,
      )
      .unit(units.PercentUnit)
      .query(filter(slo.errorBudgetRemaining), per('share'))
      .query(outageTimeLeft(slo, filter), per('outage time'), { unit: units.Seconds })
      .threshold(0, { when: 'below' }),
    stat('Current burn rate')
      .description(
        'How many times faster than sustainable the budget is being spent right now (1 = exactly on budget).',
      )
      .unit(units.Short)
      .query(filter(slo.currentBurnRate), per(''))
      .threshold(1),
  ];
  const firing = stat('Burn-rate alerts firing')
    .description(
      `1 while the condition of the ${slo.alertNames.burn} alert of that severity holds (a long window and its short one both above their threshold; these alerts fire without delay).`,
    )
    .unit(units.Short)
    .threshold(1);
  for (const severity of ['page', 'ticket'] as const) {
    const rule = slo.alerts[severity];
    // The alert's own expression object: the panel cannot drift from the rule.
    if (rule) firing.query(count(filter(rule.expr)).or(vector(0)), severity as string);
  }
  panels.push(firing);
  for (const severity of [...new Set(slo.windows.map((w) => w.severity))]) {
    const panel = timeseries(`Error ratio · ${severity} windows`)
      .description(
        `Error ratio over each ${severity} alert window. The ${severity} alert fires when a long and its short window both exceed their dashed threshold.`,
      )
      .unit(units.PercentUnit);
    for (const w of slo.windows.filter((window) => window.severity === severity)) {
      panel
        .query(filter(slo.sli(w.long)), per(`${w.long} (×${w.factor})`))
        .query(filter(slo.sli(w.short)), per(w.short))
        .threshold(w.threshold);
    }
    panels.push(panel);
  }
  panels.push(
    timeseries('Burn rate')
      .description(
        `Error budget burn rate over the shortest alert window (${shortest.short}); 1 spends exactly the budget.`,
      )
      .unit(units.Short)
      .query(filter(slo.burnRate(shortest.short)), per(shortest.short))
      .threshold(1),
    timeseries('SLI')
      .description(`Share of good events over ${shortest.short}, against the recorded objective.`)
      .unit(units.PercentUnit)
      .query(filter(slo.sli(shortest.short)).negate().plus(1), per('SLI'))
      .query(filter(slo.objectiveRatio), 'objective')
      .threshold(slo.objective, { when: 'below' }),
  );
  return panels;
}

/**
 * The SLOs of one service on one dashboard, a row per SLO (see `sloPanels`): the page an on-call
 * engineer opens from any of the service's burn-rate alerts. Reads only the SLOs' recording rules.
 */
export function sloDashboard(
  slos: SloSelection,
  options: {
    readonly folder: Folder;
    /** The organisation's deployment dimensions: a variable for each, filtering every panel. */
    readonly dimensions: DashboardDimensions;
    readonly runbook?: string;
    /** The service whose SLOs to show; required with `EVERY_SLO`, else that of the SLOs. */
    readonly service?: string;
  },
): Dashboard {
  const source = captureSource();
  const name = options.service ?? (slos === EVERY_SLO ? undefined : slos[0]?.service);
  const problem = (got: string) =>
    new O11yError(`sloDashboard() needs the SLOs of one service, got ${got}`, {
      source,
      id: 'dashboards/slo-service',
      hint:
        slos === EVERY_SLO
          ? 'name the service: sloDashboard(EVERY_SLO, { service, folder }), and define an SLO of it'
          : 'filter the SLO list by service, one dashboard per service',
    });
  if (name === undefined) throw problem(slos === EVERY_SLO ? 'no service' : 'none');
  const service = { name };
  const board = new Dashboard(`${name} · SLOs`, source)
    .folder(options.folder)
    .tags('slo', serviceTag(service))
    .linkTagged(serviceTag(service), `${name} dashboards`);
  if (options.runbook) board.runbook(options.runbook);
  const fill = (target: Dashboard, own: readonly SloReference[]) => {
    const [first] = own;
    if (!first || own.some((slo) => slo.service !== name))
      throw problem(own.map((s) => `${s.service}/${s.name}`).join(', ') || 'none');
    target
      .tags(`team:${first.team}`)
      .description(
        `Service level objectives of ${name}: ${own.map((s) => `${s.description} (${percent(s.objective)} over ${s.period})`).join('; ')}.`,
      )
      .time(`now-${first.period}`);
    const { variables, filter } = groupingFilter(own, options.dimensions);
    target.variables(...variables);
    for (const slo of own)
      target.row(`${slo.name} · ${percent(slo.objective)} over ${slo.period}`, sloPanels(slo, filter));
  };
  return withSlos(board, slos, fill, name);
}

/** Every SLO of the organisation on one page: SLI over the period and error budget left. */
export function sloOverviewDashboard(
  slos: SloSelection,
  options: {
    readonly folder: Folder;
    /** The organisation's deployment dimensions: a variable for each, filtering every panel. */
    readonly dimensions: DashboardDimensions;
  },
): Dashboard {
  const board = new Dashboard('SLO overview', captureSource())
    .folder(options.folder)
    .tags('slo', 'overview')
    .description('Error budgets and burn rates of every SLO of every service.')
    .time('now-7d')
    .linkTagged('slo', 'SLO dashboards');
  return withSlos(board, slos, (target, all) => {
    const budget = stat('Error budget remaining')
      .description("Share of each SLO's error budget left in its period; red once spent.")
      .unit(units.PercentUnit)
      .span(24, 8)
      .threshold(0, { when: 'below' });
    const burn = timeseries('Current burn rate')
      .description('Burn rate of every SLO; above 1 the budget runs out before the period ends.')
      .unit(units.Short)
      .span(24, 10)
      .threshold(1);
    const { variables, filter } = groupingFilter(all, options.dimensions);
    target.variables(...variables);
    for (const slo of all) {
      const legend = sloLegend(slo, `${slo.service} ${slo.name}`);
      budget.query(filter(slo.errorBudgetRemaining), legend);
      burn.query(filter(slo.currentBurnRate), legend);
    }
    target.row('Budgets', [budget]).row('Burn', [burn]);
  });
}
