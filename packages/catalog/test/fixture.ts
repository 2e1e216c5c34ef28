import { counter, defineCatalog, gauge, histogram, job, label, summary } from '../src/index.ts';

/** A small catalogue for the package's own tests. */
export const api = job('api', { scrapeInterval: '15s', instances: 3 });
export const worker = job('worker', { scrapeInterval: '30s', instances: 2 });

export const requests = counter('http_requests_total', {
  help: 'Total number of HTTP requests.',
  unit: 'requests',
  jobs: [api],
  labels: {
    method: label.values(['GET', 'POST']),
    route: label.cardinality(40),
    status_code: label.values(['200', '404', '500', '503']),
    service: label.values(['payments', 'orders']),
  },
  jointCaps: [{ labels: ['service', 'route'], max: 50 }],
});

export const duration = histogram('http_request_duration_seconds', {
  help: 'Duration of HTTP requests in seconds.',
  unit: 'seconds',
  jobs: [api],
  labels: { route: label.cardinality(40), service: label.values(['payments', 'orders']) },
  buckets: [0.1, 0.5, 1, 2.5],
});

export const memory = gauge('process_resident_memory_bytes', {
  help: 'Resident memory size in bytes.',
  unit: 'bytes',
  jobs: [api, worker],
  labels: { service: label.values(['payments', 'orders']) },
});

export const queueLatency = summary('queue_latency_seconds', {
  help: 'Time jobs wait in the queue.',
  unit: 'seconds',
  jobs: [worker],
  labels: { queue: label.cardinality(5) },
  quantiles: [0.5, 0.9, 0.99],
});

export const fixtureCatalog = defineCatalog([requests, duration, memory, queueLatency]);
