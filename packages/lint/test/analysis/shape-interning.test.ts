import { label } from '@o11y/catalog';
import { init, parse } from '@o11y/promql';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LabelBound, type Shape, ShapeInterner, ShapeResolver } from '../../src/analysis/shape.ts';
import type { KnownSeries } from '../../src/series.ts';

const services = Array.from({ length: 12 }, (_, i) => `service-${i}`);
const requests: KnownSeries = {
  name: 'http_requests_total',
  kind: 'counter',
  type: 'counter',
  specs: { job: label.values(services), code: label.values(['200', '500']), instance: label.cardinality(40) },
  jointCaps: [],
  scrapedBy: [],
  origins: [],
};

function shapesOf(resolver: ShapeResolver, ...texts: string[]): Shape[] {
  return texts.map((text) => {
    const parsed = parse(text);
    if (!parsed.ok) throw new Error(text);
    return resolver.shape(parsed.expr);
  });
}

beforeAll(() => init());

describe('shapes kept per node', () => {
  it('are one object for equal shapes, across expressions and nodes', () => {
    const resolver = new ShapeResolver((name) => (name === requests.name ? requests : undefined));
    const [sumA, sumB, rate, irate, bare] = shapesOf(
      resolver,
      'sum by (job) (rate(http_requests_total[5m]))',
      'sum by (job) (rate(http_requests_total[5m]))',
      'rate(http_requests_total{code="500"}[5m])',
      'irate(http_requests_total{code="500"}[1m])',
      'http_requests_total',
    );
    expect(sumB).toBe(sumA);
    expect(irate).toBe(rate);
    // A shape whose labels equal another's (listing every service, or one value) takes its label set.
    const [byJob] = shapesOf(resolver, 'max by (job) (http_requests_total)');
    expect(byJob!.labels).toBe(sumA!.labels);
    expect(rate!.labels.get('job')).toBe(bare!.labels.get('job'));
    const [onCode] = shapesOf(resolver, 'count by (code) (http_requests_total{code="500"})');
    expect(onCode!.labels.get('code')).toBe(rate!.labels.get('code'));
  });

  it('stay apart where they differ, and equal what each node computes', () => {
    const lookup = (name: string) => (name === requests.name ? requests : undefined);
    const texts = [
      'sum by (job) (http_requests_total)',
      'sum by (code) (http_requests_total)',
      'topk(3, http_requests_total)',
      'http_requests_total{job="service-1"}',
      'http_requests_total{job="service-2"}',
      'http_requests_total{job=~"service-1|service-2"} / on (job, instance) group_left http_requests_total',
    ];
    const interned = shapesOf(new ShapeResolver(lookup), ...texts);
    const computed = shapesOf(new ShapeResolver(lookup, { interned: false }), ...texts);
    expect(interned).toEqual(computed);
    expect(new Set(interned).size).toBe(texts.length);
    expect(interned[3]!.labels.get('job')).toEqual({ count: 1, values: ['service-1'] });
    expect(interned[4]!.labels.get('job')).toEqual({ count: 1, values: ['service-2'] });
  });
});

/** A label map that counts how often it is read whole. */
class CountedLabels extends Map<string, LabelBound> {
  reads = 0;
  override [Symbol.iterator]() {
    this.reads += 1;
    return super[Symbol.iterator]();
  }
}

function shapeWith(labels: ReadonlyMap<string, LabelBound>, kind: Shape['kind'] = 'counter'): Shape {
  return { value: 'vector', series: 3, labels, open: false, complete: true, kind };
}

describe('the interner', () => {
  it('does not read again a label map it has kept, as a shape carrying its operand labels does', () => {
    const interner = new ShapeInterner();
    const labels = new CountedLabels([['job', { count: 3, values: ['a', 'b', 'c'] }]]);
    const counter = interner.shape(shapeWith(labels));
    const gauge = interner.shape(shapeWith(labels, 'gauge'));
    expect(counter.labels).toBe(labels);
    expect(gauge.labels).toBe(labels);
    expect(gauge).not.toBe(counter);
    expect(labels.reads).toBe(1);
  });

  it('tells label sets apart whatever characters their (UTF-8) names hold', () => {
    const interner = new ShapeInterner();
    const first: LabelBound = { count: 1, values: ['x'] };
    const second: LabelBound = { count: 2 };
    const both = new Map([['a', first]]).set('b', second);
    const plain = interner.shape(shapeWith(both));
    // With bounds numbered 0 and 1, "a 0 b" and the bound 1 read like a and b, spaces between.
    const spaced = interner.shape(shapeWith(new Map([['a 0 b', second]])));
    expect([...spaced.labels.keys()]).toEqual(['a 0 b']);
    expect([...plain.labels.keys()]).toEqual(['a', 'b']);
  });
});
