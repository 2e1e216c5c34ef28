import { type InstantVector, oneOf, type Recorded } from '@o11y/catalog';
import { captureSource, O11yError, parseDuration } from '@o11y/core';
import { makeRecord } from '../rule.ts';
import { SLO_RECORDS, type SloModel } from './model.ts';
import { windowName } from './windows.ts';

/**
 * The SLI records: the error ratio = bad / total over every window, the period included, guarded so
 * that no traffic gives no sample (never NaN) and error series that do not exist yet count as zero.
 * Every window divides summed rates of the raw counters over the whole window: no short-window ratios
 * are averaged. By window name, shortest first.
 */
export function sliRecords(model: SloModel): ReadonlyMap<string, Recorded> {
  const { sli, grouping, labels, source } = model;
  const ratioExpr = (window: string): InstantVector => {
    const total = sli.total(model.range(window), grouping);
    const errors = sli.errors(model.range(window), grouping);
    const numerator = sli.errorsMayBeAbsent ? errors.or(total.times(0)) : errors;
    return numerator.div(total.gt(0));
  };
  return new Map(
    model.ratioWindows.map((window) => [
      window,
      makeRecord(SLO_RECORDS.errorRatio(window), ratioExpr(window), { labels }, source),
    ]),
  );
}

/** Groups of an SLO: the values each listed grouping label may take. */
export type GroupFilter = Readonly<Record<string, readonly string[]>>;

/**
 * The recorded error ratio over a window of the SLO, selected to it (and to the groups of `where`); any
 * spelling of a recorded window.
 */
export function sliSelector(
  model: SloModel,
  records: ReadonlyMap<string, Recorded>,
): (window: string, where?: GroupFilter) => InstantVector {
  return (window, where = {}) => {
    const entry = records.get(windowName(parseDuration(window)));
    if (!entry) {
      throw new O11yError(`${model.what} records no error ratio over ${window}`, {
        source: captureSource(),
        id: 'slo/unknown-window',
        hint: `its windows are ${model.ratioWindows.join(', ')}`,
      });
    }
    const groups = Object.entries(where).map(([label, values]) => [label, oneOf(values)]);
    return entry.select({ ...model.labels, ...Object.fromEntries(groups) });
  };
}
