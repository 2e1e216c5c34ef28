import { counter, defineCatalog, job, label } from '@o11y/catalog';
import { afterAll, beforeAll } from 'vitest';
import { PrometheusClient } from '../src/live/prometheus.ts';
import { type RunningPrometheus, startPrometheus } from './prometheus.ts';

/** One `shop` target; the catalogue says `orders_total` has at most 2 `kind` values, the target has 3. */
export const liveCatalog = defineCatalog([
  counter('orders_total', {
    help: 'Orders placed.',
    unit: 'count',
    jobs: [job('shop', { scrapeInterval: '15s', instances: 1 })],
    labels: { kind: label.cardinality(2) },
  }),
]);

const EXPOSITION = [
  '# TYPE orders_total counter',
  'orders_total{kind="retail"} 10',
  'orders_total{kind="wholesale"} 3',
  'orders_total{kind="gift"} 1',
  '',
].join('\n');

/** Starts the real Prometheus around a test file; `server()` gives the running instance. */
export function usePrometheus(): () => {
  prometheus: RunningPrometheus;
  live: { client: PrometheusClient; lookbackMs: number };
} {
  let prometheus: RunningPrometheus | undefined;
  beforeAll(async () => {
    prometheus = await startPrometheus('shop', EXPOSITION, 'orders_total');
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
  });
  return () => ({
    prometheus: prometheus!,
    live: { client: new PrometheusClient(prometheus!.url), lookbackMs: 3_600_000 },
  });
}
