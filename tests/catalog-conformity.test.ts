import { checkConformity, parseExposition } from '@o11y/catalog';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { catalog } from '../catalog/index.ts';

/** What the payments service registers: prom-client's defaults plus our service library's metrics. */
async function paymentsExposition(): Promise<string> {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'payments', environment: 'production' });
  collectDefaultMetrics({ register: registry });
  const http = ['method', 'route', 'status_code'];
  new Counter({
    name: 'http_requests_total',
    help: 'Total number of HTTP requests served.',
    labelNames: http,
    registers: [registry],
  }).inc({ method: 'POST', route: '/payments', status_code: '201' });
  new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds.',
    labelNames: http,
    registers: [registry],
  }).observe({ method: 'POST', route: '/payments', status_code: '201' }, 0.12);
  new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Duration of PostgreSQL queries in seconds.',
    labelNames: ['operation', 'table', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }).observe({ operation: 'insert', table: 'payments', status: 'ok' }, 0.004);
  const pool = new Gauge({
    name: 'db_pool_connections',
    help: 'Pool connections.',
    labelNames: ['state'],
    registers: [registry],
  });
  pool.set({ state: 'active' }, 4);
  pool.set({ state: 'idle' }, 6);
  new Gauge({ name: 'db_pool_max_connections', help: 'Pool size.', registers: [registry] }).set(10);
  new Gauge({ name: 'db_pool_waiting_requests', help: 'Waiting.', registers: [registry] }).set(0);
  new Counter({
    name: 'external_api_requests_total',
    help: 'Third-party calls.',
    labelNames: ['provider', 'outcome'],
    registers: [registry],
  }).inc({ provider: 'stripe', outcome: 'success' });
  new Histogram({
    name: 'external_api_request_duration_seconds',
    help: 'Third-party call duration.',
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }).observe({ provider: 'stripe' }, 0.3);
  const breaker = new Gauge({
    name: 'circuit_breaker_state',
    help: 'Breaker state.',
    labelNames: ['breaker', 'state'],
    registers: [registry],
  });
  for (const state of ['closed', 'open', 'half_open'])
    breaker.set({ breaker: 'stripe', state }, state === 'closed' ? 1 : 0);
  new Counter({
    name: 'transactions_total',
    help: 'Payment transactions.',
    labelNames: ['type', 'payment_method', 'outcome'],
    registers: [registry],
  }).inc({ type: 'capture', payment_method: 'card', outcome: 'succeeded' });
  // Let the event-loop monitor and GC observer record something before scraping.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return registry.metrics();
}

describe('the sample catalogue against a real prom-client service', () => {
  it('matches prom-client’s default metrics and the service library’s metrics', async () => {
    const report = checkConformity(catalog, parseExposition(await paymentsExposition()));
    expect(report).toMatchObject({ job: 'payments', inferredJob: true });
    expect(report.findings).toEqual([]);
  });

  it('spots a service that drifted from the catalogue', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'payments', environment: 'prod' });
    new Gauge({ name: 'transactions_total', help: 'wrong type', registers: [registry] }).set(1);
    const report = checkConformity(catalog, parseExposition(await registry.metrics()), { job: 'payments' });
    const ids = report.findings.map((f) => `${f.id} ${f.message}`);
    expect(ids).toContain(
      'catalog/wrong-type transactions_total is a gauge in the exposition, a counter in the catalogue',
    );
    expect(ids).toContain('catalog/missing process_cpu_seconds_total (counter) is missing');
    expect(ids).toContain('catalog/missing http_requests_total (counter) is missing');
  });
});
