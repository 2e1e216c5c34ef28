/**
 * Compile-time proofs, checked by `tsc -p .` (the package's typecheck): each `@ts-expect-error` line
 * must fail to compile, and every other line must compile. Never executed.
 */
import {
  avg,
  deriv,
  histogramQuantile,
  type InstantVector,
  increase,
  irate,
  type LegendLabels,
  labelReplace,
  legend,
  ne,
  predictLinear,
  rate,
  raw,
  re,
  recorded,
  sum,
  topk,
} from '../../src/index.ts';
import { duration, memory, queueLatency, requests } from '../fixture.ts';
import { assertType, type Equal } from './assert.ts';

// --- Rating a gauge is a compile error; counters and histogram series compile. ---
rate(requests.range('5m'));
irate(requests.select({ method: 'GET' }).range('1m'));
increase(duration.count.range('1h'));
rate(duration.bucket.range('$__rate_interval'));
rate(duration.sum.range('$__interval'));
rate(queueLatency.count.range('5m'));
// @ts-expect-error rate() of a gauge
rate(memory.range('5m'));
// @ts-expect-error increase() of a gauge
increase(memory.range('1h'));
// @ts-expect-error irate() of a summary's quantile series (a gauge)
irate(queueLatency.range('5m'));
// @ts-expect-error rate() of a computed value (rate of a rate)
rate(rate(requests.range('5m')).subquery('30m', '1m'));
deriv(memory.range('1h'));
predictLinear(memory.range('6h'), 4 * 3600);
// @ts-expect-error deriv() of a counter
deriv(requests.range('1h'));

// --- histogram_quantile needs `le`. ---
const p95 = histogramQuantile(0.95, sum(rate(duration.bucket.range('5m'))).by('le', 'service'));
assertType<Equal<typeof p95, InstantVector<'service', 'gauge'>>>();
histogramQuantile(0.99, rate(duration.bucket.range('5m')));
histogramQuantile(0.5, sum(rate(duration.bucket.range('5m'))).without('instance'));
// @ts-expect-error `le` dropped by `by`
histogramQuantile(0.95, sum(rate(duration.bucket.range('5m'))).by('service'));
// @ts-expect-error `le` dropped by `without`
histogramQuantile(0.95, sum(rate(duration.bucket.range('5m'))).without('le'));
// @ts-expect-error `_count` has no `le` at all
histogramQuantile(0.95, rate(duration.count.range('5m')));

// --- Selectors take only the metric's labels, and only listed values. ---
requests.select({ method: 'GET', route: '/pay', status_code: re('5..') });
requests.select({ method: ne('POST'), service: '$service', job: 'api', instance: re('.+') });
duration.bucket.select({ le: '0.5' });
// @ts-expect-error undeclared label
requests.select({ path: '/pay' });
// @ts-expect-error `le` exists only on `_bucket`
duration.count.select({ le: '0.5' });
// @ts-expect-error value not in the declared list
requests.select({ method: 'PUT' });
// @ts-expect-error `!=` with a value not in the declared list
requests.select({ method: ne('PUT') });
// @ts-expect-error job that does not expose the metric
requests.select({ job: 'worker' });
// @ts-expect-error a classic histogram has no series of its own name
rate(duration.range('5m'));

// --- by/without only over labels the input has; the output label set is tracked. ---
const byRoute = sum(rate(requests.range('5m'))).by('service', 'route');
assertType<Equal<typeof byRoute, InstantVector<'service' | 'route', 'gauge'>>>();
const withoutInstance = sum(rate(requests.range('5m'))).without('instance', 'job');
assertType<
  Equal<typeof withoutInstance, InstantVector<'method' | 'route' | 'status_code' | 'service', 'gauge'>>
>();
// @ts-expect-error undeclared label in by
sum(rate(requests.range('5m'))).by('path');
// @ts-expect-error a label the inner aggregation dropped
sum(byRoute).by('method');
// @ts-expect-error without over a label the input lacks
avg(byRoute).without('status_code');
topk(5, byRoute).by('service');
// @ts-expect-error topk grouping over a dropped label
topk(5, byRoute).by('method');
const relabelled = labelReplace(byRoute, 'team', '$1', 'service', '(.*)');
sum(relabelled).by('team');
// @ts-expect-error label_replace reads a label the input lacks
labelReplace(byRoute, 'team', '$1', 'method', '(.*)');

// --- Vector matching only on labels both sides have; group_left adds the included labels. ---
const total = sum(rate(requests.range('5m'))).by('service', 'route');
const errors = sum(rate(requests.select({ status_code: re('5..') }).range('5m'))).by('service', 'route');
const ratio = errors.div(total).on('service', 'route');
assertType<Equal<typeof ratio.labels, readonly ('service' | 'route')[]>>();
// @ts-expect-error `method` is on neither side
errors.div(total).on('method');
const perInstance = avg(memory).by('instance', 'service');
const joined = sum(rate(requests.range('5m')))
  .by('instance')
  .times(perInstance)
  .on('instance')
  .groupLeft('service');
sum(joined).by('service');
const rates = sum(rate(requests.range('5m'))).by('instance');
// @ts-expect-error group_left without on/ignoring
rates.times(perInstance).groupLeft('service');
// @ts-expect-error group_left includes a label the right side lacks
rates.times(perInstance).on('instance').groupLeft('method');

// --- Ranges are typed durations or Grafana macros. ---
requests.range('1h30m');
requests.range('$__rate_interval');
// @ts-expect-error not a duration
requests.range('5 minutes');
// @ts-expect-error not a Grafana range macro
requests.range('$__from');

// --- Legends may only use labels the query returns. ---
legend(byRoute, '{{service}} {{ route }}');
legend(p95, 'p95 {{service}}');
legend(ratio, 'errors of {{route}}');
// @ts-expect-error the query does not return `method`
legend(byRoute, '{{service}} {{method}}');
// @ts-expect-error histogram_quantile removed `le`
legend(p95, '{{le}}');
assertType<Equal<LegendLabels<'{{a}} x {{ b }}'>, 'a' | 'b'>>();

// --- Recorded series select like metrics; rating one is an error unless it records a raw counter. ---
const recordedRatio = recorded('service_route:http_errors:ratio_rate5m', ratio);
recordedRatio.select({ service: 'payments', route: '/pay' });
legend(recordedRatio, '{{service}}');
// @ts-expect-error the recorded series has no `method`
recordedRatio.select({ method: 'GET' });
// @ts-expect-error rate() of a recorded rate
rate(recordedRatio.range('5m'));
const copied = recorded('copy:http_requests:total', requests);
rate(copied.range('5m'));

// --- The escape hatch declares its labels and is then checked like any other expression. ---
const escaped = raw('sum by (team) (team_budget)', { labels: ['team'] });
legend(escaped, '{{team}}');
// @ts-expect-error raw() declared no `service`
legend(escaped, '{{service}}');
// @ts-expect-error raw() vectors are gauges unless declared otherwise
rate(raw('x[5m]', { labels: [], type: 'matrix' }));
