/**
 * Compile-time proofs for native histograms, checked by `tsc -p .` like `expressions.ts`: each
 * `@ts-expect-error` line must fail to compile, and every other line must compile. Never executed.
 */
import {
  avg,
  histogramAvg,
  histogramCount,
  histogramFraction,
  histogramQuantile,
  histogramStddev,
  histogramSum,
  type InstantVector,
  increase,
  irate,
  legend,
  max,
  rate,
  recorded,
  resets,
  sum,
} from '../../src/index.ts';
import { duration, memory, requests } from '../fixture.ts';
import { gatewayLatency } from '../native-fixture.ts';
import { assertType, type Equal } from './assert.ts';

// --- One series per label set: no `le`, no `_bucket`/`_sum`/`_count`. ---
gatewayLatency.select({ route: '/pay', method: 'GET', job: 'gateway' });
// @ts-expect-error a native histogram has no `le`
gatewayLatency.select({ le: '0.5' });
// @ts-expect-error value not in the declared list
gatewayLatency.select({ method: 'PUT' });
// @ts-expect-error no classic bucket series
gatewayLatency.bucket;

// --- rate/increase/irate give histograms; resets gives a float. ---
const perSecond = rate(gatewayLatency.range('5m'));
assertType<
  Equal<typeof perSecond, InstantVector<'instance' | 'job' | 'method' | 'route', 'gauge-histogram'>>
>();
increase(gatewayLatency.select({ route: '/pay' }).range('1h'));
irate(gatewayLatency.range('1m'));
const resetCount = resets(gatewayLatency.range('1h'));
assertType<Equal<typeof resetCount, InstantVector<'instance' | 'job' | 'method' | 'route', 'gauge'>>>();
// Float counters still rate to floats.
const floatRate = rate(requests.select({ method: 'GET' }).range('5m'));
assertType<Equal<typeof floatRate.kind, 'gauge'>>();
// @ts-expect-error rate() of a computed histogram (rate of a rate)
rate(perSecond.subquery('30m', '1m'));
// @ts-expect-error rate() of a gauge, as before
rate(memory.range('5m'));

// --- sum/avg of histograms stay histograms, with the label set tracked. ---
const byRoute = sum(perSecond).by('route');
assertType<Equal<typeof byRoute, InstantVector<'route', 'gauge-histogram'>>>();
const averaged = avg(perSecond).without('instance');
assertType<Equal<typeof averaged, InstantVector<'job' | 'method' | 'route', 'gauge-histogram'>>>();
const floats = sum(rate(requests.range('5m'))).by('route');
assertType<Equal<typeof floats, InstantVector<'route', 'gauge'>>>();
// @ts-expect-error by a label the histogram does not have
sum(perSecond).by('le');

// --- histogram_quantile: no `le` needed for native histograms; still required for classic buckets. ---
const p99 = histogramQuantile(0.99, byRoute);
assertType<Equal<typeof p99, InstantVector<'route', 'gauge'>>>();
legend(p99, '{{route}}');
histogramQuantile(0.5, perSecond);
histogramQuantile(0.5, sum(rate(duration.bucket.range('5m'))).by('le', 'route'));
// @ts-expect-error classic buckets without `le`
histogramQuantile(0.95, sum(rate(duration.bucket.range('5m'))).by('route'));
// @ts-expect-error a float gauge without `le`
histogramQuantile(0.95, memory);

// --- histogram_count/sum/avg/stddev read native histograms only. ---
const count = histogramCount(byRoute);
assertType<Equal<typeof count, InstantVector<'route', 'gauge'>>>();
histogramSum(perSecond);
histogramAvg(sum(rate(gatewayLatency.range('5m'))).by('method'));
histogramStddev(gatewayLatency);
// @ts-expect-error classic buckets are floats: histogram_count would drop them
histogramCount(rate(duration.bucket.range('5m')));
// @ts-expect-error a float gauge
histogramSum(memory);
// @ts-expect-error a float aggregation
histogramAvg(floats);
// @ts-expect-error histogram_count's result is a float, not a histogram
histogramCount(histogramCount(perSecond));
// @ts-expect-error max() of histograms gives floats (Prometheus ignores histogram samples there)
histogramCount(max(perSecond));

// --- histogram_fraction: native histograms, or classic buckets that keep `le` (Prometheus 3). ---
const fast = histogramFraction(0, 0.2, byRoute);
assertType<Equal<typeof fast, InstantVector<'route', 'gauge'>>>();
const classicFast = histogramFraction(0, 0.2, sum(rate(duration.bucket.range('5m'))).by('le', 'route'));
assertType<Equal<typeof classicFast, InstantVector<'route', 'gauge'>>>();
// @ts-expect-error classic buckets without `le`
histogramFraction(0, 0.2, sum(rate(duration.bucket.range('5m'))).by('route'));
// @ts-expect-error a float gauge
histogramFraction(0, 0.2, memory);

// --- A recorded histogram rate is a gauge histogram: quantiles work, rating it again does not. ---
const recordedRate = recorded('route:gateway_request_duration_seconds:rate5m', byRoute);
histogramQuantile(0.9, recordedRate.select({ route: '/pay' }));
histogramCount(recordedRate);
// @ts-expect-error rate() of a recorded rate
rate(recordedRate.range('5m'));
