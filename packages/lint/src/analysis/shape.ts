import { capBound, type JointCap, type LabelSpec, type SampleKind } from '@o11y/catalog';
import type { KnownSeries } from '../series.ts';
import type { Node, NodeOf } from './ast.ts';
import { literalAlternatives, matcherRegex } from './regex.ts';

/** How many distinct values a label can take in a result, and which ones when they are known. */
export interface LabelBound {
  readonly count: number;
  readonly values?: readonly string[];
}

/**
 * What an expression returns, derived statically from the catalogue: its value type, an upper bound
 * of its series count, the labels its series carry with their bounds, and whether it is a raw counter.
 */
export interface Shape {
  readonly value: 'vector' | 'matrix' | 'scalar' | 'string';
  readonly series: number;
  readonly labels: ReadonlyMap<string, LabelBound>;
  /** Labels other than `labels` may exist: a selector of an unknown metric is somewhere below. */
  readonly open: boolean;
  /** Every selector below was known, so `series` really is an upper bound. */
  readonly complete: boolean;
  readonly kind: SampleKind;
}

const SCALAR: Shape = {
  value: 'scalar',
  series: 1,
  labels: new Map(),
  open: false,
  complete: true,
  kind: 'gauge',
};

/** Functions whose result has no labels and one series whatever their input. */
const SINGLE_SERIES = new Set(['vector', 'absent', 'absent_over_time']);
const SCALAR_FUNCTIONS = new Set(['scalar', 'time', 'pi']);

/** The values a spec allows after the matchers on that label, or just a count for open-ended labels. */
export function narrowLabel(
  spec: LabelSpec,
  matchers: readonly NodeOf<'VectorSelector'>['matchers'][number][],
): LabelBound {
  if (spec.kind === 'values') {
    // The listed values themselves until a matcher narrows them (a filter makes a new list): `job`
    // lists every service's job, and a copy per selector grew with the square of the services.
    let values: readonly string[] = spec.values;
    for (const m of matchers) {
      if (m.op === '=') values = values.filter((v) => v === m.value);
      else if (m.op === '!=') values = values.filter((v) => v !== m.value);
      else {
        const regex = matcherRegex(m.value);
        if (regex) values = values.filter((v) => regex.test(v) === (m.op === '=~'));
      }
    }
    return { count: values.length, values };
  }
  let count = spec.cardinality;
  for (const m of matchers) {
    if (m.op === '=') count = Math.min(count, 1);
    else if (m.op === '=~') {
      const literals = literalAlternatives(m.value);
      if (literals) count = Math.min(count, new Set(literals).size);
    }
  }
  return { count };
}

/** The product of each item's count, without a list of the counts. */
function product<T>(items: Iterable<T>, count: (item: T) => number): number {
  let total = 1;
  for (const item of items) total *= count(item);
  return total;
}

type Matcher = NodeOf<'VectorSelector'>['matchers'][number];

/**
 * What selectors of one series need, computed once per series (so once per project, as the project
 * makes its series once): how often each listed value occurs per label, the targets of each job, and
 * for a name several recording rules write, which rules carry each value and the label bounds of all
 * of them together. With it a selector costs the same whatever the number of services.
 */
interface SeriesIndex {
  /** The series' labels in the catalogue's order. */
  readonly labels: readonly IndexedLabel[];
  readonly instancesByJob: ReadonlyMap<string, number>;
  /** The listed jobs' target counts, largest first, summed: `[k]` is the targets of the k largest. */
  readonly largestTargets: readonly number[];
  readonly parts?: PartsIndex;
}

interface IndexedLabel {
  readonly name: string;
  readonly spec: LabelSpec;
  /** Where each listed value stands in the list (a list may repeat a value). */
  readonly positions?: ReadonlyMap<string, readonly number[]>;
  /** The bound when no matcher is on the label: what most labels of most selectors take. */
  readonly unmatched: LabelBound;
}

interface PartsIndex {
  /** Labels in the order the rules first carry them (the order `either` leaves them in). */
  readonly labels: readonly string[];
  /** Every rule's bound of each label, merged in rule order, for labels a selector does not match on. */
  readonly unmatched: ReadonlyMap<string, LabelBound>;
  readonly kind: SampleKind;
  /** Per label: the rules that list each value, and the rules that carry the label without listing values. */
  readonly listing: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  readonly unlisted: ReadonlyMap<string, readonly number[]>;
  /** Per label: every rule that carries it, and every rule that does not (a matcher on it cannot exclude those). */
  readonly carrying: ReadonlyMap<string, readonly number[]>;
  readonly lacking: ReadonlyMap<string, readonly number[]>;
  /**
   * A label's bound under its matchers, by label and matchers: it does not depend on the other labels,
   * and selectors repeat the same matchers (`slo="latency"` once per service) over every rule.
   */
  readonly narrowed: Map<string, NarrowedLabel>;
}

interface NarrowedLabel {
  readonly bound: LabelBound;
  /** The rules that can have series, when the matchers name the label's values. */
  readonly possible?: readonly number[];
}

const EMPTY: readonly number[] = [];
const NO_MATCHERS: readonly Matcher[] = [];
const indexes = new WeakMap<KnownSeries, SeriesIndex | undefined>();

/** Appends `value` to the list of `key`, making the list on the first. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Undefined when a rule's value list repeats a value (merging drops the repeat, which the index cannot
 * mirror) or a rule's label count is not finite (0 × ∞ series is not 0): such series take the long way.
 */
function indexOf(series: KnownSeries): SeriesIndex | undefined {
  if (indexes.has(series)) return indexes.get(series);
  const index = buildIndex(series);
  indexes.set(series, index);
  return index;
}

function buildIndex(series: KnownSeries): SeriesIndex | undefined {
  const labels = Object.entries(series.specs).map(([name, spec]): IndexedLabel => {
    const unmatched = narrowLabel(spec, NO_MATCHERS);
    if (spec.kind !== 'values') return { name, spec, unmatched };
    const positions = new Map<string, number[]>();
    for (const [i, value] of spec.values.entries()) push(positions, value, i);
    return { name, spec, positions, unmatched };
  });
  const instancesByJob = new Map<string, number>();
  for (const s of series.scrapedBy) instancesByJob.set(s.job, (instancesByJob.get(s.job) ?? 0) + s.instances);
  const jobSpec = series.specs.job;
  const listed = jobSpec?.kind === 'values' ? new Set(jobSpec.values) : [];
  const largestTargets = prefixSums([...listed].map((job) => instancesByJob.get(job) ?? 0));
  if (!series.parts) return { labels, instancesByJob, largestTargets };

  const listing = new Map<string, Map<string, number[]>>();
  const unlisted = new Map<string, number[]>();
  const carrying = new Map<string, number[]>();
  const unmatched = new Map<string, BoundFold>();
  let kind: SampleKind | undefined;
  for (const [i, part] of series.parts.entries()) {
    kind = kind === undefined || kind === part.kind ? part.kind : 'gauge';
    for (const [name, spec] of Object.entries(part.specs)) {
      if (spec.kind === 'values') {
        if (new Set(spec.values).size !== spec.values.length) return undefined;
        const byValue = listing.get(name) ?? new Map<string, number[]>();
        listing.set(name, byValue);
        for (const value of spec.values) push(byValue, value, i);
      } else if (Number.isFinite(spec.cardinality)) push(unlisted, name, i);
      else return undefined;
      push(carrying, name, i);
      const fold = unmatched.get(name) ?? new BoundFold();
      unmatched.set(name, fold);
      fold.add(narrowLabel(spec, []));
    }
  }
  const lacking = new Map<string, number[]>();
  for (const name of carrying.keys())
    lacking.set(
      name,
      series.parts.flatMap((part, i) => (name in part.specs ? [] : [i])),
    );
  return {
    labels,
    instancesByJob,
    largestTargets,
    parts: {
      labels: [...carrying.keys()],
      unmatched: new Map([...unmatched].map(([name, fold]) => [name, fold.result!])),
      kind: kind ?? 'gauge',
      listing,
      unlisted,
      carrying,
      lacking,
      narrowed: new Map(),
    },
  };
}

/** `[k]`: the sum of the k largest counts. */
function prefixSums(counts: readonly number[]): number[] {
  const sums = [0];
  for (const n of [...counts].sort((a, b) => b - a)) sums.push(sums.at(-1)! + n);
  return sums;
}

/**
 * The only values the matchers let through when one of them names them (`=`, or `=~` of literal
 * alternatives such as `a|b`); undefined when none does. Others (`!=`, `!~`, other regexes) narrow further.
 */
function allowedValues(matchers: readonly Matcher[]): readonly string[] | undefined {
  let allowed: string[] | undefined;
  for (const m of matchers) {
    const named = m.op === '=' ? [m.value] : m.op === '=~' ? literalAlternatives(m.value) : undefined;
    if (named) allowed = allowed ? allowed.filter((v) => named.includes(v)) : [...new Set(named)];
  }
  return allowed;
}

/**
 * `narrowLabel` without walking the whole list when the matchers name the values: only the listed
 * values they name are narrowed, in the list's order.
 */
function narrowIndexed({ spec, positions }: IndexedLabel, matchers: readonly Matcher[]): LabelBound {
  if (spec.kind !== 'values' || !positions) return narrowLabel(spec, matchers);
  const allowed = allowedValues(matchers);
  if (allowed === undefined) return narrowLabel(spec, matchers);
  const at = allowed.flatMap((value) => positions.get(value) ?? EMPTY).sort((a, b) => a - b);
  return narrowLabel({ kind: 'values', values: at.map((i) => spec.values[i]!) }, matchers);
}

/** Two ascending lists of rule indexes as one. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** The selector's matchers on one label: one shared empty list for the many labels a selector leaves alone. */
function matchersOn(node: NodeOf<'VectorSelector'>, name: string): readonly Matcher[] {
  let on: Matcher[] | undefined;
  for (const m of node.matchers) {
    if (m.name !== name) continue;
    if (on) on.push(m);
    else on = [m];
  }
  return on ?? NO_MATCHERS;
}

/** A selector's series: product of the label bounds, capped by every joint cap that applies. */
function selectorShape(node: NodeOf<'VectorSelector'>, series: KnownSeries): Shape {
  return narrowedShape(node, series, indexOf(series));
}

function narrowedShape(
  node: NodeOf<'VectorSelector'>,
  series: KnownSeries,
  index: SeriesIndex | undefined,
): Shape {
  const labels = new Map<string, LabelBound>();
  if (index)
    for (const label of index.labels) {
      const matchers = matchersOn(node, label.name);
      labels.set(label.name, matchers.length === 0 ? label.unmatched : narrowIndexed(label, matchers));
    }
  else
    for (const [name, spec] of Object.entries(series.specs))
      labels.set(name, narrowLabel(spec, matchersOn(node, name)));
  let total = product(labels.values(), (bound) => bound.count);
  const apply = (cap: JointCap) => {
    const { inside, max } = capBound(cap, (l) => labels.get(l)?.count ?? 1);
    if (inside > max) total = (total / inside) * max;
    // Per value, the cap bounds each of its labels too: the routes of one service, whoever aggregates them.
    if (cap.per)
      for (const name of cap.labels) {
        const bound = labels.get(name);
        if (bound && bound.count > max) labels.set(name, { ...bound, count: max });
      }
  };
  for (const cap of series.jointCaps) apply(cap);
  // Each target belongs to one job: (job, instance) pairs are the targets of the jobs still selected,
  // and of the largest of them when a cap leaves fewer jobs than listed (one job per service).
  const job = labels.get('job');
  const instance = labels.get('instance');
  if (job?.values && instance && series.scrapedBy.length > 0) {
    const targets = selectedTargets(
      job.values,
      job.count,
      series,
      index,
      matchersOn(node, 'job').length === 0,
    );
    apply({ labels: ['job', 'instance'], max: Math.min(instance.count, targets) });
  }
  return { value: 'vector', series: total, labels, open: false, complete: true, kind: series.kind };
}

/** Targets of at most `count` of these jobs, the largest; from the index when no matcher narrowed them. */
function selectedTargets(
  jobs: readonly string[],
  count: number,
  series: KnownSeries,
  index: SeriesIndex | undefined,
  unmatched: boolean,
): number {
  if (index && unmatched) return index.largestTargets[Math.min(count, index.largestTargets.length - 1)]!;
  const selected = new Set(jobs);
  const counts = index
    ? [...selected].map((job) => index.instancesByJob.get(job) ?? 0)
    : [...selected].map((job) =>
        series.scrapedBy.filter((s) => s.job === job).reduce((n, s) => n + s.instances, 0),
      );
  return prefixSums(counts)[Math.min(count, counts.length)]!;
}

/**
 * A selector of a name several recording rules write: what narrowing each rule on its own and adding
 * them up with `either` gives, but visiting only the rules that can match. A rule whose listed values
 * of a label miss every value the matchers name has no series, and adds nothing to that label.
 */
function partsShape(node: NodeOf<'VectorSelector'>, series: KnownSeries, index: SeriesIndex): Shape {
  const parts = series.parts!;
  const { labels: order, unmatched, kind, narrowed } = index.parts!;
  let candidates: readonly number[] | undefined;
  const labels = new Map<string, LabelBound>();
  for (const name of order) {
    const matchers = matchersOn(node, name);
    if (matchers.length === 0) {
      labels.set(name, unmatched.get(name)!);
      continue;
    }
    const key = JSON.stringify([name, ...matchers.map((m) => [m.op, m.value])]);
    let label = narrowed.get(key);
    if (!label) {
      label = narrowPartsLabel(parts, index.parts!, name, matchers);
      narrowed.set(key, label);
    }
    labels.set(name, label.bound);
    if (label.possible && label.possible.length < (candidates ?? parts).length) candidates = label.possible;
  }
  let total = 0;
  for (const i of candidates ?? parts.keys()) total += selectorShape(node, parts[i]!).series;
  return { value: 'vector', series: total, labels, open: false, complete: true, kind };
}

/** One label of a name several rules write, narrowed rule by rule over the rules that carry a value it may take. */
function narrowPartsLabel(
  parts: readonly KnownSeries[],
  { listing, unlisted, carrying, lacking }: PartsIndex,
  name: string,
  matchers: readonly Matcher[],
): NarrowedLabel {
  const allowed = allowedValues(matchers);
  const relevant =
    allowed === undefined
      ? carrying.get(name)!
      : mergeAscending(
          [...new Set(allowed.flatMap((value) => listing.get(name)?.get(value) ?? EMPTY))].sort(
            (a, b) => a - b,
          ),
          unlisted.get(name) ?? EMPTY,
        );
  const bound = new BoundFold();
  for (const i of relevant) bound.add(narrowLabel(parts[i]!.specs[name]!, matchers));
  return {
    bound: bound.result ?? { count: 0, values: [] },
    ...(allowed !== undefined && { possible: mergeAscending(relevant, lacking.get(name)!) }),
  };
}

function unknownSelector(node: NodeOf<'VectorSelector'>): Shape {
  const labels = new Map<string, LabelBound>();
  for (const m of node.matchers)
    if (m.op === '=' && m.name !== '__name__') labels.set(m.name, { count: 1, values: [m.value] });
  return { value: 'vector', series: 1, labels, open: true, complete: false, kind: 'gauge' };
}

function computed(shape: Shape, labels: ReadonlyMap<string, LabelBound> = shape.labels): Shape {
  return { ...shape, value: 'vector', labels, kind: 'gauge' };
}

function without(labels: ReadonlyMap<string, LabelBound>, drop: Iterable<string>): Map<string, LabelBound> {
  const out = new Map(labels);
  for (const name of drop) out.delete(name);
  return out;
}

function only(labels: ReadonlyMap<string, LabelBound>, keep: readonly string[]): Map<string, LabelBound> {
  return new Map([...labels].filter(([name]) => keep.includes(name)));
}

/** One label's values on either of two sides: listed values merged, counts added. */
export function mergeBound(a: LabelBound, b: LabelBound): LabelBound {
  if (a.values && b.values) {
    const values = [...new Set([...a.values, ...b.values])];
    return { count: values.length, values };
  }
  return { count: a.count + b.count };
}

/**
 * `mergeBound` folded over bounds in order without copying the values gathered so far at each step: a
 * name written by one rule per service merges as many bounds as there are services. `limit` is applied
 * to each sum of counts, as by a caller that stores every step as a label spec.
 */
export class BoundFold {
  private first: LabelBound | undefined;
  private values: Set<string> | undefined;
  private count: number | undefined;

  constructor(private readonly limit: (count: number) => number = (count) => count) {}

  /** More than one bound was added. */
  get merged(): boolean {
    return this.values !== undefined || this.count !== undefined;
  }

  add(bound: LabelBound): void {
    if (!this.first) this.first = bound;
    else if (this.values) {
      if (bound.values) for (const value of bound.values) this.values.add(value);
      else this.sum(this.values.size, bound);
    } else if (this.count !== undefined) this.sum(this.count, bound);
    else if (this.first.values && bound.values)
      this.values = new Set([...this.first.values, ...bound.values]);
    else this.sum(this.first.count, bound);
  }

  private sum(count: number, bound: LabelBound): void {
    this.values = undefined;
    this.count = this.limit(count + bound.count);
  }

  get result(): LabelBound | undefined {
    if (this.values) return { count: this.values.size, values: [...this.values] };
    if (this.count !== undefined) return { count: this.count };
    return this.first;
  }
}

/** Labels of `a or b`: every label of either side. */
function union(
  a: ReadonlyMap<string, LabelBound>,
  b: ReadonlyMap<string, LabelBound>,
): Map<string, LabelBound> {
  const out = new Map(a);
  for (const [name, bound] of b) {
    const other = out.get(name);
    out.set(name, other ? mergeBound(other, bound) : bound);
  }
  return out;
}

/** Series of `a or b`, or of one name written by several recording rules: they add up. */
function either(a: Shape, b: Shape): Shape {
  return {
    value: 'vector',
    series: a.series + b.series,
    labels: union(a.labels, b.labels),
    open: a.open || b.open,
    complete: a.complete && b.complete,
    kind: a.kind === b.kind ? a.kind : 'gauge',
  };
}

function stringArg(node: Node | undefined): string | undefined {
  return node?.type === 'String' ? node.value : undefined;
}

/** The values `label_replace(v, dst, replacement, src, regex)` writes: a constant, or as many as `src` has. */
function replacedLabel(shape: Shape, [replacement, source, regex]: readonly Node[]): LabelBound {
  const text = stringArg(replacement);
  const from = stringArg(source);
  if (text !== undefined && !text.includes('$')) return { count: 1, values: [text] };
  const bound = from === undefined ? undefined : shape.labels.get(from);
  if (!bound) return { count: from === undefined ? shape.series : 1 };
  // `$1` of `(.*)` copies the value unchanged; any other rewrite keeps at most as many values.
  const copies = text !== undefined && /^\$\{?1\}?$/.test(text) && stringArg(regex) === '(.*)';
  return copies ? bound : { count: bound.count };
}

/** `label_join(v, dst, separator, src…)`: at most one value per combination of the sources. */
function joinedLabel(shape: Shape, sources: readonly Node[]): LabelBound {
  return { count: product(sources, (s) => shape.labels.get(stringArg(s) ?? '')?.count ?? 1) };
}

/**
 * One object for each distinct shape, label set and bound: the memo keeps a shape per node (620,000
 * nodes in the rules of 1,000 services), and nodes repeat each other's shapes: those rules' 500,000
 * computed shapes hold 31,000 distinct label sets of 1,100 distinct bounds, and were two fifths of
 * lint's live heap. Shapes are never changed once made, so an equal one can stand for another.
 */
export class ShapeInterner {
  private readonly shapes = new Map<string, Shape>();
  private readonly labelSets = new Map<string, InternedLabels>();
  private readonly bounds = new Map<string, InternedBound>();
  /**
   * The kept label sets and bounds, by identity: most shapes carry their operand's labels, interned
   * already, and keys of their contents were 1.6 s of the interner's 4 s at 1,000 services. Only what is
   * kept is recorded here: the 300,000 maps made and dropped would grow these tables by 7 MB.
   */
  private readonly seenLabels = new WeakMap<ReadonlyMap<string, LabelBound>, InternedLabels>();
  private readonly seenBounds = new WeakMap<LabelBound, InternedBound>();
  /** Long value lists (a label listing every service) are told apart by identity, not content. */
  private readonly lists = new WeakMap<readonly string[], number>();
  private listsSeen = 0;

  shape(shape: Shape): Shape {
    const labels = this.labels(shape.labels);
    const key = `${labels.id} ${shape.value} ${shape.series} ${shape.open} ${shape.complete} ${shape.kind}`;
    let same = this.shapes.get(key);
    if (!same) {
      same = labels.labels === shape.labels ? shape : { ...shape, labels: labels.labels };
      this.shapes.set(key, same);
    }
    return same;
  }

  private labels(labels: ReadonlyMap<string, LabelBound>): InternedLabels {
    const seen = this.seenLabels.get(labels);
    if (seen) return seen;
    const entries: [string, LabelBound][] = [];
    // Each name after its length: a UTF-8 label name may hold any character, and the key is read one way.
    let key = '';
    for (const [name, bound] of labels) {
      const same = this.bound(bound);
      entries.push([name, same.bound]);
      key += `${name.length}:${name}${same.id} `;
    }
    let interned = this.labelSets.get(key);
    if (!interned) {
      const unchanged = entries.every(([name, bound]) => labels.get(name) === bound);
      interned = { labels: unchanged ? labels : new Map(entries), id: this.labelSets.size };
      this.labelSets.set(key, interned);
      this.seenLabels.set(interned.labels, interned);
    }
    return interned;
  }

  private bound(bound: LabelBound): InternedBound {
    const seen = this.seenBounds.get(bound);
    if (seen) return seen;
    const key = `${bound.count} ${this.valuesKey(bound.values)}`;
    let interned = this.bounds.get(key);
    if (!interned) {
      interned = { bound, id: this.bounds.size };
      this.bounds.set(key, interned);
      this.seenBounds.set(bound, interned);
    }
    return interned;
  }

  private valuesKey(values: readonly string[] | undefined): string {
    if (!values) return '-';
    if (values.length <= 8) return JSON.stringify(values);
    let id = this.lists.get(values);
    if (id === undefined) {
      id = this.listsSeen++;
      this.lists.set(values, id);
    }
    return `#${id}`;
  }
}

interface InternedLabels {
  readonly labels: ReadonlyMap<string, LabelBound>;
  readonly id: number;
}

interface InternedBound {
  readonly bound: LabelBound;
  readonly id: number;
}

/**
 * Computes shapes bottom-up, memoised per node. `lookup` resolves a series name to the catalogue or
 * to a recording rule's output (itself computed by this resolver, which is how outputs feed back).
 */
export class ShapeResolver {
  private readonly memo = new WeakMap<Node, Shape>();
  private readonly interned: ShapeInterner | undefined;

  /**
   * `indexed: false` narrows every label of every rule for every selector, as the index's meaning is
   * defined, and `interned: false` keeps each node's shape as computed; the tests compare both ways.
   * The index is what keeps lint linear in the services, interning what keeps its memo small.
   */
  constructor(
    private readonly lookup: (name: string) => KnownSeries | undefined,
    private readonly options: { readonly indexed?: boolean; readonly interned?: boolean } = {},
  ) {
    this.interned = options.interned === false ? undefined : new ShapeInterner();
  }

  /** The series name a selector selects, when it has one (`foo` or `{__name__="foo"}`). */
  static metricName(node: NodeOf<'VectorSelector'>): string | undefined {
    if (node.name) return node.name;
    return node.matchers.find((m) => m.name === '__name__' && m.op === '=')?.value;
  }

  shape(node: Node): Shape {
    const cached = this.memo.get(node);
    if (cached) return cached;
    const made = this.compute(node);
    const result = this.interned ? this.interned.shape(made) : made;
    this.memo.set(node, result);
    return result;
  }

  private compute(node: Node): Shape {
    switch (node.type) {
      case 'VectorSelector': {
        const name = ShapeResolver.metricName(node);
        const series = name === undefined ? undefined : this.lookup(name);
        if (!series) return unknownSelector(node);
        const index = this.options.indexed === false ? undefined : indexOf(series);
        // Each recording rule of the name is narrowed on its own: {service="x"} keeps only x's rule.
        if (series.parts && index) return partsShape(node, series, index);
        if (series.parts)
          return series.parts.map((part) => narrowedShape(node, part, undefined)).reduce(either);
        return narrowedShape(node, series, index);
      }
      case 'MatrixSelector':
        return { ...this.shape(node.selector), value: 'matrix' };
      case 'Subquery':
        return { ...this.shape(node.expr), value: 'matrix', kind: 'gauge' };
      case 'Paren':
        return this.shape(node.expr);
      case 'Unary':
        return node.valueType === 'scalar' ? SCALAR : computed(this.shape(node.expr));
      case 'Number':
        return SCALAR;
      case 'String':
        return { ...SCALAR, value: 'string' };
      case 'Call':
        return this.call(node);
      case 'Aggregate':
        return this.aggregate(node);
      case 'Binary':
        return this.binary(node);
      default:
        // Duration expressions only appear inside ranges and offsets.
        return SCALAR;
    }
  }

  private call(node: NodeOf<'Call'>): Shape {
    if (SCALAR_FUNCTIONS.has(node.func)) return SCALAR;
    if (SINGLE_SERIES.has(node.func)) {
      const arg = node.args[0];
      const selector = arg?.type === 'MatrixSelector' ? arg.selector : arg;
      const labels = new Map<string, LabelBound>();
      if (selector?.type === 'VectorSelector')
        for (const m of selector.matchers)
          if (m.op === '=' && m.name !== '__name__') labels.set(m.name, { count: 1, values: [m.value] });
      return { value: 'vector', series: 1, labels, open: false, complete: true, kind: 'gauge' };
    }
    const input = node.args.find((arg) => arg.valueType === 'vector' || arg.valueType === 'matrix');
    if (!input)
      return node.valueType === 'scalar' ? SCALAR : { ...SCALAR, value: 'vector', labels: new Map() };
    const shape = this.shape(input);
    switch (node.func) {
      case 'histogram_quantile': {
        const le = shape.labels.get('le');
        const series = le && le.count > 0 ? Math.ceil(shape.series / le.count) : shape.series;
        return { ...computed(shape, without(shape.labels, ['le'])), series };
      }
      case 'label_replace':
      case 'label_join': {
        const [, destination, ...rest] = node.args;
        if (destination?.type !== 'String') return { ...computed(shape), open: true };
        const written =
          node.func === 'label_replace' ? replacedLabel(shape, rest) : joinedLabel(shape, rest.slice(1));
        const before = shape.labels.get(destination.value);
        const labels = new Map(shape.labels);
        // Series the regex does not match keep their old value: both kinds of values may remain.
        labels.set(destination.value, before ? mergeBound(before, written) : written);
        return computed(shape, labels);
      }
      default:
        return computed(shape);
    }
  }

  private aggregate(node: NodeOf<'Aggregate'>): Shape {
    const input = this.shape(node.expr);
    let labels: Map<string, LabelBound>;
    if (node.without) labels = without(input.labels, node.grouping);
    else {
      labels = only(input.labels, node.grouping);
      // `by (x)` on an open input may keep labels the catalogue does not know.
      if (input.open)
        for (const name of node.grouping) if (!labels.has(name)) labels.set(name, { count: Infinity });
    }
    const groups = Math.min(
      input.series,
      product(labels.values(), (b) => b.count),
    );
    const open = node.without && input.open;
    const base = { value: 'vector' as const, open, complete: input.complete, kind: 'gauge' as const };
    switch (node.op) {
      case 'topk':
      case 'bottomk':
      case 'limitk': {
        const k = node.param?.type === 'Number' ? node.param.value : input.series;
        return {
          ...base,
          labels: input.labels,
          open: input.open,
          series: Math.min(input.series, k * groups),
        };
      }
      case 'limit_ratio':
        return { ...base, labels: input.labels, open: input.open, series: input.series };
      case 'count_values': {
        const target = node.param?.type === 'String' ? node.param.value : undefined;
        if (target) labels.set(target, { count: input.series });
        return { ...base, labels, series: input.series };
      }
      default:
        return { ...base, labels, series: input.series === 0 ? 0 : groups };
    }
  }

  private binary(node: NodeOf<'Binary'>): Shape {
    const lhs = this.shape(node.lhs);
    const rhs = this.shape(node.rhs);
    if (lhs.value === 'scalar' && rhs.value === 'scalar') return SCALAR;
    if (rhs.value === 'scalar') return computed(lhs);
    if (lhs.value === 'scalar') return computed(rhs);
    const complete = lhs.complete && rhs.complete;
    const matching = node.matching;
    if (node.op === 'or') return { ...either(lhs, rhs), kind: 'gauge' };
    if (node.op === 'and' || node.op === 'unless') return { ...computed(lhs), complete };
    if (matching?.cardinality === 'many-to-one' || matching?.cardinality === 'one-to-many') {
      const [many, one] = matching.cardinality === 'many-to-one' ? [lhs, rhs] : [rhs, lhs];
      const labels = new Map(many.labels);
      // Included labels are copied from the "one" side, and deleted where that side does not have them.
      for (const name of matching.include) {
        const copied = one.labels.get(name) ?? (one.open ? { count: one.series } : undefined);
        if (copied) labels.set(name, copied);
        else labels.delete(name);
      }
      return {
        ...computed(many, labels),
        complete,
        open: many.open || (one.open && matching.include.length > 0),
      };
    }
    let labels: Map<string, LabelBound> = new Map(lhs.labels);
    if (matching?.on) labels = only(lhs.labels, matching.labels);
    else if (matching) labels = without(lhs.labels, matching.labels);
    return {
      ...computed(lhs, labels),
      series: Math.min(lhs.series, rhs.series),
      complete,
      open: lhs.open && !matching?.on,
    };
  }
}
