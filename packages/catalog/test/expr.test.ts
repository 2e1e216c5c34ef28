import { O11yError } from '@o11y/core';
import { describe, expect, it, vi } from 'vitest';
import type { Selector } from '../src/expr/selector.ts';
import {
  absent,
  absentOverTime,
  avg,
  checkLegend,
  filterSelectors,
  histogramQuantile,
  type InstantVector,
  isRaw,
  keepLabels,
  label,
  labelReplace,
  legend,
  legendLabels,
  pickSpecs,
  rate,
  raw,
  rawFragments,
  re,
  recorded,
  scalar,
  sum,
  toPromQL,
  topk,
  vector,
} from '../src/index.ts';
import { errorOf } from './errors.ts';
import { duration, memory, requests } from './fixture.ts';

const THIS_FILE = 'packages/catalog/test/expr.test.ts';

describe('output labels at runtime', () => {
  it('tracks selectors, aggregations, functions and matching', () => {
    expect(requests.labels).toEqual(['instance', 'job', 'method', 'route', 'service', 'status_code']);
    expect(duration.bucket.labels).toContain('le');
    expect(duration.count.labels).not.toContain('le');
    const byRoute = sum(rate(requests.range('5m'))).by('service', 'route');
    expect(byRoute.labels).toEqual(['route', 'service']);
    expect(sum(byRoute).labels).toEqual([]);
    expect(sum(rate(requests.range('5m'))).without('instance', 'job').labels).toEqual([
      'method',
      'route',
      'service',
      'status_code',
    ]);
    expect(histogramQuantile(0.9, sum(rate(duration.bucket.range('5m'))).by('le', 'route')).labels).toEqual([
      'route',
    ]);
    expect(topk(2, byRoute).by('service').labels).toEqual(['route', 'service']);
    expect(labelReplace(byRoute, 'team', '$1', 'service', '(.*)').labels).toEqual([
      'route',
      'service',
      'team',
    ]);
    const perInstance = avg(memory).by('instance', 'service');
    const rates = sum(rate(requests.range('5m'))).by('instance');
    expect(rates.div(perInstance).on('instance').labels).toEqual(['instance']);
    expect(rates.div(perInstance).on('instance').groupLeft('service').labels).toEqual([
      'instance',
      'service',
    ]);
    expect(perInstance.div(rates).ignoring('service').labels).toEqual(['instance']);
    expect(rates.or(perInstance).labels).toEqual(['instance', 'service']);
    expect(absent(requests.select({ service: 'payments', route: re('/a.*') })).labels).toEqual(['service']);
    expect(absentOverTime(requests.select({ service: 'orders' }).range('10m')).labels).toEqual(['service']);
  });

  it('tracks value types and sample kinds', () => {
    expect(requests.type).toBe('vector');
    expect(requests.kind).toBe('counter');
    expect(requests.range('5m').type).toBe('matrix');
    expect(rate(requests.range('5m')).kind).toBe('gauge');
    expect(memory.kind).toBe('gauge');
    expect(duration.bucket.kind).toBe('counter');
  });

  it('narrows label specs by equality matchers', () => {
    const payments = requests.select({ service: 'payments', method: re('G.*') });
    expect(payments.specs.service).toEqual({ kind: 'values', values: ['payments'] });
    expect(payments.specs.method).toEqual({ kind: 'values', values: ['GET', 'POST'] });
    expect(sum(payments).by('route').specs).toEqual({ route: { kind: 'cardinality', cardinality: 40 } });
  });

  it("shares the operand's labels and specs where an expression keeps them, and copies them where it does not", () => {
    const rates = rate(requests.range('5m'));
    expect(rates.labels).toBe(requests.labels);
    expect(rates.specs).toBe(requests.specs);
    const byRoute = sum(rates).by('service', 'route');
    expect(Object.isFrozen(byRoute.labels) && Object.isFrozen(byRoute.specs)).toBe(true);
    expect(Object.keys(byRoute.specs)).toEqual(['route', 'service']);
    expect(sum(byRoute).by('route').specs).not.toBe(byRoute.specs);
  });

  it('share one array per label set and one grouping per `by` list among expressions', () => {
    const byService = sum(rate(requests.range('5m'))).by('service');
    const other = sum(duration.count.select({ service: 'orders' })).by('service');
    expect(other.labels).toBe(byService.labels);
    expect(other.node.type === 'aggregate' && other.node.grouping).toBe(
      byService.node.type === 'aggregate' && byService.node.grouping,
    );
    expect(Object.isFrozen(byService.labels)).toBe(true);
    expect(sum(memory).by('job', 'instance').labels).toEqual(['instance', 'job']);
  });

  it('narrows to one spec per single value, which the expressions keeping its labels keep', () => {
    const payments = requests.select({ service: 'payments' });
    const again = requests.select({ service: 'payments', method: 'GET' });
    expect(Object.isFrozen(payments.specs)).toBe(true);
    expect(again.specs.service).toBe(payments.specs.service);
    expect(payments.specs.service).toBe(label.values(['payments']));
    // What a selection narrows, the expressions that keep its labels keep too.
    expect(rate(payments.range('5m')).specs).toBe(payments.specs);
  });

  it('takes the specs of its own labels only, in label order (a label may be called constructor)', () => {
    const spec = { kind: 'cardinality', cardinality: 3 } as const;
    const specs = Object.freeze({ zone: spec, app: spec });
    expect(Object.keys(pickSpecs(specs, ['app', 'zone']))).toEqual(['app', 'zone']);
    expect(pickSpecs(specs, ['app', 'constructor', 'toString'])).toEqual({ app: spec });
    const sorted = Object.freeze({ app: spec, zone: spec });
    expect(pickSpecs(sorted, ['app', 'constructor', 'zone'])).toBe(sorted);
    expect(pickSpecs(sorted, ['app'])).toEqual({ app: spec });
  });
});

describe('build-time checks for values the types did not see', () => {
  it('rejects undeclared labels and values, naming the caller', () => {
    const unknownLabel = errorOf(() => requests.select({ path: '/x' } as never));
    expect(unknownLabel.message).toBe('metric http_requests_total has no label "path"');
    expect(unknownLabel.source?.file).toBe(THIS_FILE);
    expect(unknownLabel.hint).toContain('instance, job, method, route, service, status_code');
    const unknownValue = errorOf(() => requests.select({ method: 'PUT' as 'GET' }));
    expect(unknownValue.message).toBe('label method of http_requests_total has no value "PUT"');
    expect(unknownValue.hint).toBe('declared values: GET, POST');
    const noMatch = errorOf(() => requests.select({ method: re('P.T') }));
    expect(noMatch.message).toBe(
      'regex "P.T" on label method of http_requests_total matches none of its values',
    );
    expect(noMatch.hint).toBe('declared values: GET, POST');
    // A value of the list, matched again once the list is known as a set.
    expect(() => requests.select({ method: 'POST' })).not.toThrow();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a JavaScript template
    expect(() => requests.select({ method: '$method', service: re('${service}') })).not.toThrow();
  });

  it('rejects rate of a gauge, lost le, and grouping over missing labels', () => {
    const gaugeRate = errorOf(() => rate(memory.range('5m') as never));
    expect(gaugeRate.message).toBe(
      'rate() needs a counter or a native histogram, but process_resident_memory_bytes[5m] is a gauge',
    );
    expect(gaugeRate.source?.file).toBe(THIS_FILE);
    const byRoute = sum(rate(duration.bucket.range('5m'))).by('route');
    expect(errorOf(() => histogramQuantile(0.9, byRoute as never)).message).toBe(
      'histogram_quantile needs the le label or native histogram samples, but sum by (route) (rate(http_request_duration_seconds_bucket[5m])) has neither',
    );
    expect(errorOf(() => sum(byRoute).by('le' as never)).message).toBe(
      'sum by (le) uses label "le", which its input does not have',
    );
    expect(errorOf(() => byRoute.div(byRoute).on('service' as never)).message).toBe(
      'on uses label "service", which the operands do not have',
    );
    expect(errorOf(() => memory.plus(memory).bool()).message).toBe('bool applies to comparisons, not to "+"');
    expect(errorOf(() => requests.range('0s')).message).toBe('range "0s" is empty');
    expect(() => requests.range('5 minutes' as never)).toThrow(O11yError);
  });
});

describe('legends', () => {
  it('lists and checks the labels of a legend format', () => {
    expect(legendLabels('{{route}} {{ status_code }} {{route}}')).toEqual(['route', 'status_code']);
    const byRoute: InstantVector<'route'> = sum(rate(requests.range('5m'))).by('route');
    expect(legend(byRoute, '{{route}}')).toEqual({ expr: byRoute, legendFormat: '{{route}}' });
    const error = errorOf(() => checkLegend(byRoute, '{{route}} {{method}}'));
    expect(error.message).toBe(
      'legend "{{route}} {{method}}" uses label "method", which sum by (route) (rate(http_requests_total[5m])) does not return',
    );
    expect(error.source?.file).toBe(THIS_FILE);
  });
});

describe('recorded series', () => {
  it('become selectable catalogue entries with the expression’s labels', () => {
    const expr = sum(rate(requests.select({ service: 'payments' }).range('5m'))).by('service', 'route');
    const rule = recorded('service_route:http_requests:rate5m', expr);
    expect(rule.declaration.type).toBe('recorded');
    expect(rule.declaration.jobs.map((j) => j.name)).toEqual(['api']);
    expect(rule.declaration.source.file).toBe(THIS_FILE);
    expect(rule.labels).toEqual(['route', 'service']);
    expect(rule.kind).toBe('gauge');
    expect(String(rule.select({ route: '/pay', service: 'payments' }))).toBe(
      'service_route:http_requests:rate5m{route="/pay",service="payments"}',
    );
    expect(errorOf(() => rule.select({ service: 'orders' })).message).toBe(
      'label service of service_route:http_requests:rate5m has no value "orders"',
    );
    expect(() => recorded('not a name', expr)).toThrow(
      'recording rule name "not a name" is not a valid metric name',
    );
  });

  it('print their expression as help text only when it is read', () => {
    const expr = sum(rate(requests.range('5m'))).by('service');
    const printed = vi.spyOn(expr, 'toString');
    const rule = recorded('service:http_requests:rate5m', expr);
    expect(printed).not.toHaveBeenCalled();
    expect(rule.declaration.help).toBe('Recording rule: sum by (service) (rate(http_requests_total[5m]))');
    expect(printed).toHaveBeenCalledTimes(1);
    expect(Object.isFrozen(rule.declaration)).toBe(true);
    expect(rule.declaration.series[0]?.declaration).toBe(rule.declaration);
  });
});

describe('raw PromQL', () => {
  it('is printed verbatim and recognisable', () => {
    const hatch = raw('sum by (team) (budget)', { labels: ['team'] });
    expect(hatch.labels).toEqual(['team']);
    const combined = sum(hatch.div(2)).by('team');
    expect(isRaw(combined)).toBe(true);
    expect(rawFragments(combined)).toEqual(['sum by (team) (budget)']);
    expect(isRaw(sum(memory))).toBe(false);
    expect(() => raw('  ', { labels: [] })).toThrow('raw() needs a PromQL expression');
  });
});

describe('keepLabels', () => {
  it('keeps the labels through every aggregation and on() matching, not through without() or raw PromQL', () => {
    const errors = sum(rate(requests.select({ status_code: re('5..') }).range('5m'))).by('route');
    const total = sum(rate(requests.range('5m')));
    const expr = errors
      .div(total)
      .on()
      .groupLeft()
      .and(topk(1, memory).by('service'))
      .or(avg(memory).without('instance'))
      .or(raw('sum(up)'));
    const kept = keepLabels(expr.node, ['cluster']);
    expect(kept.unkept).toEqual(['raw PromQL']);
    expect(toPromQL(kept.node)).toBe(
      'sum by (route, cluster) (rate(http_requests_total{status_code=~"5.."}[5m])) / on (cluster) group_left () sum by (cluster) (rate(http_requests_total[5m]))' +
        ' and topk by (service, cluster) (1, process_resident_memory_bytes)' +
        ' or avg without (instance) (process_resident_memory_bytes) or (sum(up))',
    );
    expect(keepLabels(expr.node, [])).toEqual({ node: expr.node, unkept: [] });
    // A label already kept is not repeated.
    expect(toPromQL(keepLabels(sum(memory).by('service').node, ['service', 'cluster']).node)).toBe(
      'sum by (service, cluster) (process_resident_memory_bytes)',
    );
  });

  it('leaves scalar(), vector() and absent() as written, matches them on no new label, and lists them', () => {
    const total = sum(rate(requests.range('5m')));
    const expr = memory
      .gt(scalar(total))
      .and(total.gt(0))
      .on()
      .or(total.unless(absent(memory.select({ service: 'orders' }))).on())
      .or(vector(0));
    const kept = keepLabels(expr.node, ['cluster']);
    expect(kept.unkept).toEqual(['absent()', 'scalar()', 'vector()']);
    expect(toPromQL(kept.node)).toBe(
      'process_resident_memory_bytes > scalar(sum(rate(http_requests_total[5m]))) and on (cluster) sum by (cluster) (rate(http_requests_total[5m])) > 0' +
        ' or sum by (cluster) (rate(http_requests_total[5m])) unless on () absent(process_resident_memory_bytes{service="orders"})' +
        ' or vector(0)',
    );
  });
});

describe('filterSelectors', () => {
  it('adds the matchers to every selector whose series carry the label, however deep, and to no other', () => {
    const errors = sum(rate(requests.select({ status_code: re('5..') }).range('5m'))).by('route');
    const total = sum(rate(requests.range('5m'))).by('route');
    const ratio = errors.div(total).and(memory.gt(0));
    const filtered = filterSelectors(ratio, { route: re('$route') });
    expect(toPromQL(filtered)).toBe(
      toPromQL(
        sum(rate(requests.select({ status_code: re('5..'), route: re('$route') }).range('5m')))
          .by('route')
          .div(sum(rate(requests.select({ route: re('$route') }).range('5m'))).by('route'))
          .and(memory.gt(0)),
      ),
    );
    expect(filtered.labels).toEqual(ratio.labels);
    expect(filterSelectors(ratio, {})).toBe(ratio);
  });

  it('puts the matchers of external labels on every selector, whose series then carries them', () => {
    const ratio = sum(rate(requests.range('5m'))).div(sum(memory));
    const filtered = filterSelectors(ratio, { cluster: re('$cluster') }, { external: ['cluster'] });
    expect(toPromQL(filtered)).toBe(
      'sum(rate(http_requests_total{cluster=~"$cluster"}[5m])) / sum(process_resident_memory_bytes{cluster=~"$cluster"})',
    );
    // Without `external`, no series declares the label: nothing to filter.
    expect(toPromQL(filterSelectors(ratio, { cluster: re('$cluster') }))).toBe(toPromQL(ratio));
    // A selector stays a selector that carries the label: it can be narrowed and listed by it.
    const selector = filterSelectors(memory, {}, { external: ['cluster'] });
    expect(selector.labels).toContain('cluster');
    // The label is known at run time; the static type keeps the catalogue's labels.
    expect(toPromQL((selector as Selector).select({ cluster: 'eu' }))).toBe(
      'process_resident_memory_bytes{cluster="eu"}',
    );
  });
});
