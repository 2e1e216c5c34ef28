import { type SliTestInput, segments, seriesText } from '../slo/sli.ts';

export interface EventSeries {
  readonly metric: string;
  /** Labels of a series the error query counts (and the total query too). */
  readonly bad: Readonly<Record<string, string>>;
  /** Labels of a series only the total query counts. */
  readonly good: Readonly<Record<string, string>>;
}

/**
 * Input for the generated tests of an imported ratio SLO, whose raw queries cannot synthesise their
 * own: one counter series of bad events and one of good events, both read by the SLI's queries.
 * `o11y import` derives them from the parsed error and total queries.
 */
export function eventSeries(options: EventSeries): (grouping: readonly string[]) => SliTestInput {
  return (grouping) => ({
    groupLabels: Object.fromEntries(grouping.flatMap((g) => (options.bad[g] ? [[g, options.bad[g]]] : []))),
    series: (traffic, counter) => [
      { series: seriesText(options.metric, options.bad), values: counter(segments(traffic, 'bad')) },
      { series: seriesText(options.metric, options.good), values: counter(segments(traffic, 'good')) },
    ],
  });
}
