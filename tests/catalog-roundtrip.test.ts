import {
  absent,
  avg,
  avgOverTime,
  clampMin,
  type Expr,
  histogramQuantile,
  increase,
  labelReplace,
  max,
  maxOverTime,
  predictLinear,
  rate,
  re,
  recorded,
  sum,
  topk,
  vector,
} from '@o11y/catalog';
import { init, parse, parseDashboardQuery, prettify } from '@o11y/promql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  activeUsers,
  cacheOperationsTotal,
  catalog,
  circuitBreakerState,
  dbPoolConnections,
  dbPoolMaxConnections,
  httpConventions,
  nodeCpuSecondsTotal,
  nodeFilesystemAvailBytes,
  nodeFilesystemSizeBytes,
  orderProcessingDurationSeconds,
  pgSettingsMaxConnections,
  pgStatActivityCount,
  probeSuccess,
  processResidentMemoryBytes,
  redisKeyspaceHitsTotal,
  redisKeyspaceMissesTotal,
  services,
  transactionsTotal,
  up,
} from '../catalog/index.ts';

/** Expressions of every shape the sample organisation uses, built from its catalogue. */
function sampleExpressions(): Expr[] {
  const exprs: Expr[] = [];
  for (const service of services) {
    const http = httpConventions[service.instrumentation];
    const { labels } = http;
    const requests = http.requests.select({ [labels.service]: service.name } as never);
    const total = sum(rate(requests.range('$__rate_interval'))).by(labels.route as never);
    const errors = sum(
      rate(
        http.requests
          .select({ [labels.service]: service.name, [labels.status]: re('5..') } as never)
          .range('5m'),
      ),
    ).by(labels.route as never);
    exprs.push(total, errors.div(clampMin(total, 1e-9)).gt(0.01));
    const buckets = http.duration.bucket.select({ [labels.service]: service.name } as never);
    exprs.push(
      histogramQuantile(0.95, sum(rate(buckets.range('$__rate_interval'))).by('le', labels.route as never)),
    );
  }
  const byService = sum(rate(httpConventions['prom-client'].requests.range('5m'))).by('service', 'route');
  const recordedRate = recorded('service_route:http_requests:rate5m', byService);
  exprs.push(
    recordedRate,
    sum(recordedRate).by('service'),
    topk(5, recordedRate.select({ service: 'payments' })),
  );
  exprs.push(
    up.eq(0),
    absent(up.select({ job: 'payments' })),
    sum(dbPoolConnections.select({ state: 'active' }))
      .by('service')
      .div(sum(dbPoolMaxConnections).by('service'))
      .on('service')
      .gt(0.9),
    sum(rate(cacheOperationsTotal.select({ operation: 'get', result: 'hit' }).range('5m')))
      .by('service')
      .div(
        sum(rate(cacheOperationsTotal.select({ operation: 'get', result: re('hit|miss') }).range('5m'))).by(
          'service',
        ),
      )
      .lt(0.8),
    max(circuitBreakerState.select({ state: 'open' }))
      .by('service', 'breaker')
      .eq(1),
    sum(activeUsers.select({ plan: 'premium' }))
      .lt(10)
      .or(vector(0)),
    sum(rate(transactionsTotal.select({ outcome: 'failed' }).range('15m')))
      .div(sum(rate(transactionsTotal.range('15m'))))
      .gt(0.05),
    histogramQuantile(0.99, sum(rate(orderProcessingDurationSeconds.bucket.range('1h'))).by('le', 'outcome')),
    predictLinear(nodeFilesystemAvailBytes.select({ fstype: re('ext4|xfs') }).range('6h'), 4 * 3600).lt(0),
    nodeFilesystemAvailBytes.div(nodeFilesystemSizeBytes).lt(0.1),
    avg(rate(nodeCpuSecondsTotal.select({ mode: 'idle' }).range('5m')))
      .by('instance')
      .minus(1)
      .negate()
      .gt(0.9),
    max(avgOverTime(processResidentMemoryBytes.range('1h'))).by('service'),
    maxOverTime(sum(processResidentMemoryBytes).by('service').subquery('1h', '1m')),
    probeSuccess.eq(0),
    labelReplace(probeSuccess, 'target', '$1', 'instance', 'https?://([^/]+).*'),
    sum(pgStatActivityCount).by('instance').div(sum(pgSettingsMaxConnections).by('instance')).gt(0.8),
    increase(redisKeyspaceHitsTotal.range('1h')).div(
      increase(redisKeyspaceHitsTotal.range('1h')).plus(increase(redisKeyspaceMissesTotal.range('1h'))),
    ),
    rate(redisKeyspaceMissesTotal.offset('1d').range('5m')),
  );
  return exprs;
}

beforeAll(async () => {
  await init();
});

describe('round trip through the Prometheus parser', () => {
  const exprs = sampleExpressions();

  it('covers the sample catalogue', () => {
    expect(exprs.length).toBeGreaterThan(40);
    expect(catalog.metrics.length).toBeGreaterThan(100);
  });

  for (const expr of exprs) {
    const text = String(expr);
    it(text, () => {
      if (text.includes('$__')) {
        const result = parseDashboardQuery(text);
        expect(result.ok ? result.type : result.errors).toBe(expr.type);
        return;
      }
      const result = parse(text);
      expect(result.ok ? result.type : result.errors).toBe(expr.type);
      const pretty = prettify(text);
      expect(prettify(pretty)).toBe(pretty);
      // Prometheus's printer keeps short expressions on one line: there ours must match it exactly.
      if (!pretty.includes('\n')) expect(pretty).toBe(text);
    });
  }
});
