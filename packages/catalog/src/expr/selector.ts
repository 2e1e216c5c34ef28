import { type Duration, formatDuration, parseDuration } from '@o11y/core';
import { type LabelMap, type LabelSpec, label, listedValues } from '../labels.ts';
import type { MetricDeclaration } from '../metric.ts';
import type { Matcher, MatchOp, SampleKind, SelectorNode } from './ast.ts';
import { canonicalRange, fail, InstantVector, type LabelSpecs, type Range, RangeVector } from './vector.ts';

/** One selectable series name of a metric: a counter, a gauge, a histogram's `_bucket`/`_sum`/`_count`… */
export interface SeriesInfo {
  readonly name: string;
  readonly kind: SampleKind;
  /** Every label the series carries (declared labels plus the target labels `job` and `instance`), sorted. */
  readonly labels: readonly string[];
  readonly specs: LabelSpecs;
  readonly declaration: MetricDeclaration;
}

/** A Grafana template variable such as `$service` or `${environment}`, accepted for any label. */
export type GrafanaVariable = `$${string}`;

const MATCH = Symbol('o11y.match');

/** A matcher other than equality, built with `re`, `nre` or `ne`. */
export interface Match<V extends string = string> {
  readonly [MATCH]: true;
  readonly op: Exclude<MatchOp, '='>;
  readonly value: V;
}

/** `label=~"regex"` (anchored, RE2 syntax). */
export function re(pattern: string): Match<string> & { readonly op: '=~' } {
  return { [MATCH]: true, op: '=~', value: pattern };
}

/** A literal text as a regex that matches exactly it. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Any of the values: `label="v"` for one, `label=~"a|b"` (escaped) for more. */
export function oneOf<const V extends string>(
  values: readonly V[],
): V | (Match<string> & { readonly op: '=~' }) {
  return values.length === 1 ? values[0]! : re(values.map(escapeRegex).join('|'));
}

/** `label!~"regex"` (anchored, RE2 syntax). */
export function nre(pattern: string): Match<string> & { readonly op: '!~' } {
  return { [MATCH]: true, op: '!~', value: pattern };
}

/** `label!="value"`; for labels with listed values, only those values. */
export function ne<const V extends string>(value: V): Match<V> & { readonly op: '!=' } {
  return { [MATCH]: true, op: '!=', value };
}

type RegexMatch = Match<string> & { readonly op: '=~' | '!~' };

/** The matchers a selector of label map `M` accepts: only its labels, and only listed values. */
export type Matchers<M extends LabelMap> = {
  readonly [N in keyof M]?:
    | M[N]
    | GrafanaVariable
    | RegexMatch
    | (Match<M[N] | GrafanaVariable> & { op: '!=' });
};

const SERIES_OF_NODE = new WeakMap<SelectorNode, SeriesInfo>();

/** The catalogue series a selector node of a typed expression selects (undefined for raw PromQL). */
export function seriesOfNode(node: SelectorNode): SeriesInfo | undefined {
  return SERIES_OF_NODE.get(node);
}

function isMatch(value: unknown): value is Match {
  return typeof value === 'object' && value !== null && MATCH in value;
}

export function isGrafanaVariable(value: string): boolean {
  return value.includes('$');
}

/**
 * A vector selector of one catalogue series. Every raw metric is one, so `up`, `httpRequests` and
 * `duration.bucket` can be used as expressions directly or narrowed with `.select({...})`.
 */
export class Selector<M extends LabelMap = LabelMap, K extends SampleKind = SampleKind> extends InstantVector<
  keyof M & string,
  K
> {
  declare readonly node: SelectorNode;
  readonly series: SeriesInfo;

  constructor(
    series: SeriesInfo,
    node: SelectorNode = { type: 'selector', metric: series.name, matchers: [] },
  ) {
    super(node, series.labels as readonly (keyof M & string)[], series.kind as K, narrowSpecs(series, node));
    this.series = series;
    SERIES_OF_NODE.set(node, series);
  }

  /** Adds label matchers: a value means `=`, `re()`/`nre()`/`ne()` the other operators. */
  select(matchers: Matchers<M>): Selector<M, K> {
    const added = Object.entries(matchers as Record<string, string | Match | undefined>)
      .filter((entry): entry is [string, string | Match] => entry[1] !== undefined)
      .map(([name, value]) => this.matcher(name, value));
    return new Selector(this.series, { ...this.node, matchers: [...this.node.matchers, ...added] });
  }

  /** `selector[range]`, the input of `rate`, `increase` and the `*_over_time` functions. */
  range(range: Range): RangeVector<keyof M & string, K> {
    return new RangeVector(
      { type: 'matrix', selector: this.node, range: canonicalRange(range) },
      this.labels,
      this.kind,
      this.specs,
    );
  }

  /** `selector offset 1h`: the same selection, shifted back in time. */
  offset(offset: Duration): Selector<M, K> {
    return new Selector(this.series, { ...this.node, offset: formatDuration(parseDuration(offset)) });
  }

  private matcher(name: string, value: string | Match): Matcher {
    const { series } = this;
    if (!series.labels.includes(name)) {
      fail(
        `metric ${series.name} has no label "${name}"`,
        `its labels are ${series.labels.join(', ')}; declare the label in the catalogue if the exporter sets it`,
      );
    }
    const matcher: Matcher = isMatch(value)
      ? { label: name, op: value.op, value: value.value }
      : { label: name, op: '=', value };
    checkValue(series, matcher, series.specs[name]);
    return matcher;
  }
}

function checkValue(series: SeriesInfo, matcher: Matcher, spec: LabelSpec | undefined): void {
  if (spec?.kind !== 'values' || isGrafanaVariable(matcher.value)) return;
  const listed = () => `declared values: ${spec.values.join(', ')}`;
  if (matcher.op === '=' || matcher.op === '!=') {
    if (!listedValues(spec).has(matcher.value)) {
      fail(`label ${matcher.label} of ${series.name} has no value "${matcher.value}"`, listed());
    }
    return;
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${matcher.value})$`, 'u');
  } catch {
    // RE2 syntax JavaScript does not know; the PromQL parser and lint judge it instead.
    return;
  }
  if (matcher.op === '=~' && !spec.values.some((v) => pattern.test(v))) {
    fail(
      `regex "${matcher.value}" on label ${matcher.label} of ${series.name} matches none of its values`,
      listed(),
    );
  }
}

/**
 * Label specs of a selection: an equality matcher on a label leaves exactly one value. The series' own
 * specs when nothing narrows; frozen, so that the expression keeps them rather than a copy.
 */
function narrowSpecs(series: SeriesInfo, node: SelectorNode): LabelSpecs {
  let specs: Record<string, LabelSpec> | undefined;
  for (const matcher of node.matchers) {
    if (matcher.op === '=' && !isGrafanaVariable(matcher.value)) {
      specs ??= { ...series.specs };
      specs[matcher.label] = label.values([matcher.value]);
    }
  }
  return specs ? Object.freeze(specs) : series.specs;
}
