import { captureSource, DEFINITION, O11yError, parseDuration, type SourceLocation } from '@o11y/core';
import { makeRuleGroup } from '../group.ts';
import { KIND } from '../kinds.ts';
import type { TimeCompression } from '../profile.ts';
import type { RuleTests } from '../promtool/suite.ts';
import type { AlertingRule } from '../rule.ts';
import { absentAlert } from './absent-alert.ts';
import { burnRateAlerts } from './burn-rate-alerts.ts';
import { metadataRecords } from './metadata-records.ts';
import { type Slo, sloModel } from './model.ts';
import { sloTestFile, sloTests } from './scenarios.ts';
import { sliRecords, sliSelector } from './sli-records.ts';
import type { SloOptions } from './spec.ts';

export { SLO_RECORDS, type Slo, type SloAlerts } from './model.ts';
export type { SloAlerting, SloOptions, SloService } from './spec.ts';

/**
 * An SLO: from one definition, the error-ratio recording rules for every alert window and the period,
 * the budget and burn-rate metadata, multi-window multi-burn-rate page and ticket alerts, an absent
 * alert, and promtool tests that prove them.
 */
export function slo(options: SloOptions): Slo {
  return makeSlo(options, captureSource());
}

/** How each SLO was defined, so that a time-compressed build can make it again, and its tests' file. */
const DEFINED = new WeakMap<
  Slo,
  {
    readonly options: SloOptions;
    readonly source: SourceLocation;
    /** The file of its generated tests; none when it generates none. */
    readonly testsFile: string | undefined;
  }
>();

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
 * `slo` for generators (imports) that pass the source of their own definition: the spec is validated
 * into the model, each generator makes one output from it, and the outputs are grouped as Prometheus
 * evaluates them: the short windows, the long windows with the metadata (slower), and the alerts.
 */
export function makeSlo(options: SloOptions, source: SourceLocation, compression?: TimeCompression): Slo {
  const model = sloModel(options, source, compression);
  const ratios = sliRecords(model);
  const sli = sliSelector(model, ratios);
  const metadata = metadataRecords(model, sli);
  const { page, ticket } = burnRateAlerts(model, sli);
  const absent = absentAlert(model);
  const byDuration = (slow: boolean) =>
    model.ratioWindows.filter((w) => parseDuration(w) >= model.slowFrom === slow).map((w) => ratios.get(w)!);
  const interval = model.interval && { interval: model.interval };
  const groups = [
    makeRuleGroup(
      `slo-${model.id}-sli`,
      { file: model.file, ...interval, rules: [...byDuration(false), metadata.currentBurnRate] },
      source,
    ),
    makeRuleGroup(
      `slo-${model.id}-sli-long`,
      {
        file: model.file,
        interval: model.slowInterval,
        rules: [
          ...byDuration(true),
          metadata.objective,
          metadata.errorBudget,
          metadata.periodDays,
          metadata.periodBurnRate,
          metadata.errorBudgetRemaining,
        ],
      },
      source,
    ),
    makeRuleGroup(
      `slo-${model.id}-alerts`,
      {
        file: model.file,
        ...interval,
        rules: [page, ticket, absent].filter((r): r is AlertingRule => r !== undefined),
      },
      source,
    ),
  ];
  const { labels, errorBudget } = model;
  const definition: Omit<Slo, 'tests'> = {
    [DEFINITION]: KIND.slo,
    source,
    id: model.id,
    service: model.service,
    team: model.team,
    name: model.name,
    description: model.description,
    objective: model.objective,
    errorBudget,
    period: model.periodWindow,
    grouping: model.grouping,
    labels,
    windows: model.windows,
    ratioWindows: model.ratioWindows,
    alerts: Object.freeze({ ...(page && { page }), ...(ticket && { ticket }), ...(absent && { absent }) }),
    alertNames: model.alertNames,
    groups: Object.freeze(groups),
    sli,
    burnRate: (window: string) => sli(window).div(errorBudget),
    errorBudgetRemaining: metadata.errorBudgetRemaining.select(labels),
    currentBurnRate: metadata.currentBurnRate.select(labels),
    periodBurnRate: metadata.periodBurnRate.select(labels),
    objectiveRatio: metadata.objective.select(labels),
    errorBudgetRatio: metadata.errorBudget.select(labels),
    periodDays: metadata.periodDays.select(labels),
    ...(model.alerting.minEvents !== undefined && { minEvents: model.alerting.minEvents }),
  };
  // Generated on each read (the build reads them once, for its test files): lint and the other readers
  // of the definitions never pay for simulating the burn scenarios, and the build does not keep them
  // once written (kept, they were 9.8 of the 182 MB a 200-service build held after emit).
  const { testInput, alerting } = model;
  const made: Slo = Object.freeze(
    Object.defineProperty({ ...definition } as Slo, 'tests', {
      enumerable: true,
      get: (): RuleTests | undefined => testInput && sloTests(definition, testInput, alerting),
    }),
  );
  DEFINED.set(made, { options, source, testsFile: testInput && sloTestFile(definition.id) });
  return made;
}

/**
 * The file the SLO's generated tests are written to, without generating them (`tests` does, on each
 * read); undefined when it generates none (an SLI that cannot synthesise its input, a time-compressed SLO).
 * Of an SLO another installed copy of this package made, only generating them tells.
 */
export function generatedTestsFile(slo: Slo): string | undefined {
  const defined = DEFINED.get(slo);
  return defined ? defined.testsFile : slo.tests?.file;
}
