import {
  escapeRegex,
  type Histogram,
  type InstantVector,
  type LabelMap,
  type Matchers,
  type MetricDeclaration,
  quote,
  rate,
  re,
  type Selector,
  seriesOfNode,
  sum,
  walk,
} from '@o11y/catalog';
import { O11yError } from '@o11y/core';

type CounterSelector = Selector<LabelMap, 'counter'>;

/** One input series of a generated promtool test: PromQL series notation and promtool values. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** Per-scrape increments of good and bad events, in consecutive segments (healthy, then burning…). */
export type Traffic = ReadonlyArray<{ readonly steps: number; readonly good: number; readonly bad: number }>;

/**
 * How generated SLO tests feed an SLI: the input series for given traffic, and the values the SLO's
 * grouping labels take in them.
 */
export interface SliTestInput {
  series(
    traffic: Traffic,
    counter: (segments: ReadonlyArray<{ steps: number; perStep: number }>) => string,
  ): InputSeries[];
  readonly groupLabels: Readonly<Record<string, string>>;
}

/**
 * Makes the input of an SLO's generated tests: series of one group (one value of each grouping label),
 * the values of `fixed` where given (the environment a scenario bursts in, the one it keeps healthy).
 */
export type TestInputFactory = (
  grouping: readonly string[],
  fixed?: Readonly<Record<string, string>>,
) => SliTestInput;

/** A service level indicator: the rate of bad and of all events over a window, per grouping labels. */
export interface Sli {
  readonly kind: 'availability' | 'latency' | 'ratio';
  /** Rate of bad events over `window`, summed by `grouping`. */
  errors(window: string, grouping: readonly string[]): InstantVector;
  /** Rate of all events over `window`, summed by `grouping`. */
  total(window: string, grouping: readonly string[]): InstantVector;
  /** What must have series: the absent alert fires on `absent(presence())`. */
  presence(): InstantVector;
  /** The catalogue metrics it reads (their jobs' scrape intervals bound the windows). */
  readonly declarations: readonly MetricDeclaration[];
  /** Input for the generated tests; without it the SLO's tests need `testInput` from elsewhere. */
  readonly testInput?: TestInputFactory;
  /** Whether errors can be missing while total exists (uninitialised error series count as zero). */
  readonly errorsMayBeAbsent: boolean;
}

function by(expr: InstantVector, grouping: readonly string[]): InstantVector {
  const aggregated = sum(expr);
  return grouping.length === 0 ? aggregated : aggregated.by(...grouping);
}

function rateBy(selector: CounterSelector, window: string, grouping: readonly string[]): InstantVector {
  return by(rate(selector.range(window as '5m')), grouping);
}

function declarationOf(selector: CounterSelector): MetricDeclaration {
  return selector.series.declaration;
}

// ---- label values for synthetic input series -------------------------------------------------------

type Matcher = CounterSelector['node']['matchers'][number];

function satisfies(value: string, matcher: Matcher): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`, 'u').test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`, 'u').test(value);
  }
}

function candidates(selector: CounterSelector, label: string, matchers: readonly Matcher[]): string[] {
  const spec = selector.series.specs[label];
  const listed = spec?.kind === 'values' ? [...spec.values] : [];
  const equal = matchers.filter((m) => m.op === '=').map((m) => m.value);
  return [...equal, ...listed, 'test'];
}

/**
 * Label values that `accept` selects and, when given, `reject` does not: the labels of a synthetic good or
 * bad series. Undefined when the catalogue lists no suitable value (open-ended labels with regexes).
 */
function labelsFor(
  accept: CounterSelector,
  grouping: readonly string[],
  reject?: CounterSelector,
  fixed: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const names = new Set([...accept.node.matchers.map((m) => m.label), ...grouping, ...Object.keys(fixed)]);
  for (const m of reject?.node.matchers ?? []) names.add(m.label);
  const out: Record<string, string> = {};
  let rejected = reject === undefined;
  for (const name of [...names].sort()) {
    const mine = accept.node.matchers.filter((m) => m.label === name);
    const theirs = reject?.node.matchers.filter((m) => m.label === name) ?? [];
    const options = fixed[name] !== undefined ? [fixed[name]!] : candidates(accept, name, mine);
    const fitting = options.filter((v) => mine.every((m) => satisfies(v, m)));
    const rejecting = fitting.find((v) => theirs.some((m) => !satisfies(v, m)));
    const value = !rejected && rejecting !== undefined ? rejecting : fitting[0];
    if (value === undefined) return undefined;
    if (theirs.some((m) => !satisfies(value, m))) rejected = true;
    out[name] = value;
  }
  return rejected ? out : undefined;
}

export function seriesText(metric: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${quote(labels[name]!)}`);
  return pairs.length === 0 ? metric : `${metric}{${pairs.join(',')}}`;
}

function pick(labels: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, labels[n]!]));
}

function noInput(what: string): never {
  throw new O11yError(`cannot synthesise test input for ${what}`, {
    id: 'slo/test-input',
    hint: 'the catalogue lists no label value that the selectors accept; list the label values in the catalogue, or give the SLO testInput',
  });
}

// ---- SLI kinds --------------------------------------------------------------------------------------

export type AvailabilityOptions =
  | { readonly total: CounterSelector; readonly errors: CounterSelector; readonly good?: never }
  | { readonly total: CounterSelector; readonly good: CounterSelector; readonly errors?: never };

/**
 * Availability from event counters: bad/total (`errors`) or good/total (`good`). Error series that were
 * never initialised (no 5xx yet) count as zero instead of hiding the SLI.
 */
export function availability(options: AvailabilityOptions): Sli {
  const { total } = options;
  const countsBad = options.errors !== undefined;
  const counted = (options.errors ?? options.good)!;
  const sameMetric = counted.series.name === total.series.name;
  const [countedKind, otherKind] = countsBad ? (['bad', 'good'] as const) : (['good', 'bad'] as const);
  return {
    kind: 'availability',
    // With good events, bad = total − good; a good series that is not there yet means no good events.
    errors: countsBad
      ? (w, g) => rateBy(counted, w, g)
      : (w, g) => rateBy(total, w, g).minus(rateBy(counted, w, g).or(rateBy(total, w, g).times(0))),
    total: (w, g) => rateBy(total, w, g),
    presence: () => total,
    declarations: unique([declarationOf(total), declarationOf(counted)]),
    errorsMayBeAbsent: countsBad,
    testInput: (grouping, fixed) => {
      // One series of the counted events; one of the other events (of all events when total is another metric).
      const own = labelsFor(counted, grouping, undefined, fixed) ?? noInput(String(counted));
      if (sameMetric && !labelsFor(total, grouping, undefined, own)) noInput(`${counted} within ${total}`);
      const other =
        labelsFor(total, grouping, sameMetric ? counted : undefined, pick(own, grouping)) ??
        noInput(`the ${otherKind} events of ${total}`);
      return {
        groupLabels: pick(own, grouping),
        series: (traffic, counter) => [
          {
            series: seriesText(total.series.name, other),
            values: counter(segments(traffic, sameMetric ? otherKind : 'all')),
          },
          { series: seriesText(counted.series.name, own), values: counter(segments(traffic, countedKind)) },
        ],
      };
    },
  };
}

export interface LatencyOptions<M extends LabelMap> {
  readonly histogram: Histogram<string, M>;
  /** Which requests count (e.g. one service); `le` is set from `threshold`. */
  readonly select?: Matchers<M>;
  /** Seconds; must be one of the histogram's bucket bounds. */
  readonly threshold: number;
}

/**
 * Latency: the share of requests slower than `threshold`, from the histogram's cumulative buckets. The
 * bucket is matched under both spellings of its bound, Prometheus 3's normalised `1.0` and the `1` that
 * clients expose and Prometheus 2 stored, so the SLI survives the upgrade (and mixed-version remote write).
 */
export function latency<M extends LabelMap>(options: LatencyOptions<M>): Sli {
  const { histogram, threshold } = options;
  const canonical = histogram.le(threshold);
  const spellings = [...new Set([canonical, String(threshold)])];
  const select = (options.select ?? {}) as Matchers<LabelMap>;
  const count = (histogram.count as CounterSelector).select(select);
  const fast = (histogram.bucket as unknown as CounterSelector).select({
    ...select,
    le: re(spellings.map(escapeRegex).join('|')),
  });
  return {
    kind: 'latency',
    errors: (w, g) => rateBy(count, w, g).minus(rateBy(fast, w, g)),
    total: (w, g) => rateBy(count, w, g),
    presence: () => count,
    declarations: [histogram.declaration],
    errorsMayBeAbsent: false,
    testInput: (grouping, fixed) => {
      const labels = labelsFor(count, grouping, undefined, fixed) ?? noInput(String(count));
      return {
        groupLabels: pick(labels, grouping),
        series: (traffic, counter) => [
          { series: seriesText(count.series.name, labels), values: counter(segments(traffic, 'all')) },
          {
            series: seriesText(fast.series.name, { ...labels, le: canonical }),
            values: counter(segments(traffic, 'good')),
          },
        ],
      };
    },
  };
}

export interface RatioOptions {
  /** Rate of bad events over a window, e.g. `(w) => sum(rate(failed.range(w))).by('service')`. */
  readonly errors: (window: string) => InstantVector;
  /** Rate of all events over a window, with the same labels. */
  readonly total: (window: string) => InstantVector;
  /** Input series for generated tests (label values of the grouping included). */
  readonly testInput?: TestInputFactory;
}

/**
 * A generic ratio of two expressions of the window, as Sloth's `{{.window}}` queries. Grouping labels
 * must be among the labels both expressions return.
 */
export function ratio(options: RatioOptions): Sli {
  const check = (expr: InstantVector, grouping: readonly string[], which: string) => {
    const missingLabels = grouping.filter((g) => !expr.labels.includes(g));
    if (missingLabels.length > 0) {
      throw new O11yError(`the SLI's ${which} expression does not return ${missingLabels.join(', ')}`, {
        id: 'slo/grouping',
        hint: `group the ${which} expression by the SLO's grouping labels`,
      });
    }
    return grouping.length === 0 || expr.labels.length === grouping.length ? expr : by(expr, grouping);
  };
  const declarations = [options.errors('5m'), options.total('5m')].flatMap((expr) =>
    [...walk(expr.node)].flatMap((node) => {
      const series = node.type === 'selector' ? seriesOfNode(node) : undefined;
      return series ? [series.declaration] : [];
    }),
  );
  return {
    kind: 'ratio',
    errors: (w, g) => check(options.errors(w), g, 'errors'),
    total: (w, g) => check(options.total(w), g, 'total'),
    presence: () => options.total('5m'),
    declarations: unique(declarations),
    errorsMayBeAbsent: true,
    ...(options.testInput && { testInput: options.testInput }),
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

export function segments(
  traffic: Traffic,
  which: 'good' | 'bad' | 'all',
): Array<{ steps: number; perStep: number }> {
  return traffic.map((t) => ({
    steps: t.steps,
    perStep: which === 'good' ? t.good : which === 'bad' ? t.bad : t.good + t.bad,
  }));
}
