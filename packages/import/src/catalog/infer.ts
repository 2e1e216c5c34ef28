import type { Unit } from '@o11y/catalog';
import { compareCodePoints } from '@o11y/core';
import type { Evidence, FamilyEvidence } from './evidence.ts';
import type { SeriesUse } from './usage.ts';

export type DeclaredKind = 'counter' | 'gauge' | 'histogram' | 'summary';

/** One catalogue declaration the import writes, with why its type is what it is. */
export interface InferredMetric {
  /** The declared name: the series, or the family of a histogram/summary. */
  readonly name: string;
  readonly kind: DeclaredKind;
  /** The series names it covers. */
  readonly series: readonly string[];
  /** Label name → distinct values measured by the source (undefined: not measured). */
  readonly labels: ReadonlyMap<string, number | undefined>;
  readonly jobs: readonly string[];
  readonly buckets?: readonly number[];
  readonly quantiles?: readonly number[];
  readonly help?: string;
  readonly unit: Unit;
  /** The evidence for the type, in a few words. */
  readonly because: string;
  /** Why the type is a guess, when no evidence decides it. */
  readonly undecided?: string;
  /** What the inference said before the source corrected it. */
  readonly corrected?: string;
}

/** One series with everything the imported expressions say about it. */
export interface SeriesFacts {
  readonly series: string;
  readonly uses: readonly SeriesUse[];
  /** Labels of the expressions it is used in (grouping, matching), which it may carry. */
  readonly expressionLabels: ReadonlySet<string>;
}

const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
const GAUGE_FUNCTIONS = new Set([
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
  'holt_winters',
  'double_exponential_smoothing',
]);
const TARGET_LABELS = new Set(['job', 'instance']);

const UNIT_SUFFIXES: readonly (readonly [string, Unit])[] = [
  ['_timestamp_seconds', 'timestamp'],
  ['_seconds', 'seconds'],
  ['_bytes', 'bytes'],
  ['_ratio', 'ratio'],
  ['_percent', 'percent'],
  ['_info', 'info'],
  ['_celsius', 'celsius'],
  ['_hertz', 'hertz'],
  ['_requests', 'requests'],
  ['_errors', 'errors'],
  ['_packets', 'packets'],
];

function unitOf(name: string): Unit {
  const stem = name.replace(/_(total|bucket|sum|count)$/, '');
  return UNIT_SUFFIXES.find(([suffix]) => stem.endsWith(suffix))?.[1] ?? 'count';
}

interface Guess {
  readonly kind: 'counter' | 'gauge';
  readonly because: string;
  readonly undecided?: string;
  /** A `_bucket`/`_sum`/`_count` series: part of a histogram or summary whose buckets are unknown. */
  readonly family?: string;
}

function guess(facts: SeriesFacts): Guess {
  const functions = new Set(facts.uses.flatMap((u) => [...u.rangeFunctions]));
  const counterFn = [...functions].find((f) => COUNTER_FUNCTIONS.has(f));
  const gaugeFn = [...functions].find((f) => GAUGE_FUNCTIONS.has(f));
  const suffix = /_(bucket|sum|count)$/.exec(facts.series);
  const family = suffix ? facts.series.slice(0, suffix.index) : undefined;
  const partOf = family
    ? {
        family,
        undecided:
          suffix?.[1] === 'bucket'
            ? `series of histogram ${family}, whose buckets are unknown`
            : `series of ${family}, a histogram or a summary`,
      }
    : {};
  if (counterFn && !gaugeFn)
    return { kind: 'counter', because: `${counterFn}() is applied to it`, ...partOf };
  if (gaugeFn && !counterFn) return { kind: 'gauge', because: `${gaugeFn}() is applied to it` };
  if (facts.series.endsWith('_total')) return { kind: 'counter', because: 'its name ends in _total' };
  if (suffix) return { kind: 'counter', because: `its name ends in _${suffix[1]}`, ...partOf };
  return {
    kind: 'gauge',
    because: 'nothing applied to it needs a counter',
    undecided: counterFn
      ? `both ${counterFn}() and ${gaugeFn}() are applied to it`
      : 'no function or name suffix decides between gauge and counter; assumed gauge',
  };
}

function numbers(values: ReadonlySet<string> | undefined, drop: string): number[] {
  return [...(values ?? [])]
    .filter((v) => v !== drop)
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}

function measuredLabels(family: FamilyEvidence | undefined, series: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of series) {
    for (const [label, values] of family?.series.get(name) ?? []) {
      counts.set(label, Math.max(counts.get(label) ?? 0, values.size));
    }
  }
  return counts;
}

/**
 * The catalogue declarations for every series the imported expressions read: types from a real
 * source when one is given, else inferred from the functions applied and the name's suffix.
 */
export function inferMetrics(facts: readonly SeriesFacts[], evidence?: Evidence): InferredMetric[] {
  const byName = new Map<
    string,
    { series: Set<string>; facts: SeriesFacts[]; build: Omit<InferredMetric, 'series' | 'labels' | 'jobs'> }
  >();
  for (const fact of facts) {
    const family = evidence?.family(fact.series);
    const inferred = guess(fact);
    let name = fact.series;
    let build: Omit<InferredMetric, 'series' | 'labels' | 'jobs'>;
    const source = evidence?.origin === 'prometheus' ? 'Prometheus metadata' : 'the exposition';
    const bucketSeries = family?.series.get(`${family.name}_bucket`);
    const buckets = numbers(bucketSeries?.get('le'), '+Inf');
    const quantiles = numbers(family?.series.get(family.name)?.get('quantile'), '');
    if (family?.type === 'histogram' && buckets.length > 0) {
      name = family.name;
      build = { name, kind: 'histogram', buckets, unit: unitOf(name), because: `${source} says histogram` };
    } else if (family?.type === 'summary' && quantiles.length > 0) {
      name = family.name;
      build = { name, kind: 'summary', quantiles, unit: unitOf(name), because: `${source} says summary` };
    } else if (family && (family.type === 'counter' || family.type === 'gauge')) {
      build = {
        name,
        kind: family.type,
        unit: unitOf(name),
        because: `${source} says ${family.type}`,
        ...(family.type !== inferred.kind && { corrected: `${inferred.kind} (${inferred.because})` }),
      };
    } else {
      build = {
        name,
        kind: inferred.kind,
        unit: unitOf(name),
        because: inferred.because,
        ...(inferred.undecided !== undefined && { undecided: inferred.undecided }),
      };
    }
    if (family?.help) build = { ...build, help: family.help };
    const entry = byName.get(name) ?? { series: new Set<string>(), facts: [], build };
    entry.series.add(fact.series);
    entry.facts.push(fact);
    byName.set(name, entry);
  }
  return [...byName.values()]
    .map(({ series, facts: used, build }) => {
      const seriesNames = [...series].sort(compareCodePoints);
      const measured = measuredLabels(evidence?.family(seriesNames[0]!), seriesNames);
      const reserved = build.kind === 'histogram' ? 'le' : build.kind === 'summary' ? 'quantile' : '';
      const names = new Set<string>();
      for (const fact of used) {
        for (const label of fact.expressionLabels) names.add(label);
        for (const use of fact.uses) for (const label of use.matched) names.add(label);
      }
      for (const label of measured.keys()) names.add(label);
      const labels = new Map(
        [...names]
          .filter((l) => !TARGET_LABELS.has(l) && l !== reserved && !l.startsWith('__'))
          .sort(compareCodePoints)
          .map((l) => [l, measured.get(l)] as const),
      );
      const jobs = new Set(used.flatMap((f) => f.uses.flatMap((u) => [...u.jobs])));
      for (const name of seriesNames) {
        for (const job of evidence?.family(name)?.series.get(name)?.get('job') ?? []) jobs.add(job);
      }
      return { ...build, series: seriesNames, labels, jobs: [...jobs].sort(compareCodePoints) };
    })
    .sort((a, b) => compareCodePoints(a.name, b.name));
}
