import { counter, defineCatalog, gauge, histogram, job, label } from '@o11y/catalog';

/**
 * A small catalogue whose numbers are easy to multiply by hand, so estimates can be asserted exactly:
 * api (3 instances, 15s) and web (2 instances, 30s) serve HTTP; node (4 instances, 1m) exports memory.
 */
export const api = job('api', { scrapeInterval: '15s', instances: 3 });
export const web = job('web', { scrapeInterval: '30s', instances: 2 });
export const node = job('node', { scrapeInterval: '1m', instances: 4 });

const httpLabels = {
  method: label.values(['GET', 'POST']),
  status: label.values(['200', '404', '500']),
  route: label.cardinality(10),
};

/** 5 targets (job, instance) × 2 methods × 3 statuses × 10 routes = 300 series. */
export const httpRequests = counter('http_requests_total', {
  help: 'HTTP requests served.',
  unit: 'requests',
  jobs: [api, web],
  labels: httpLabels,
});

/** 3 instances × 10 routes × 4 le values (0.1, 0.5, 1, +Inf) = 120 bucket series. */
export const httpDuration = histogram('http_request_duration_seconds', {
  help: 'HTTP request duration.',
  unit: 'seconds',
  jobs: [api],
  labels: { route: label.cardinality(10) },
  buckets: [0.1, 0.5, 1],
});

export const memoryAvailable = gauge('node_memory_available_bytes', {
  help: 'Memory available.',
  unit: 'bytes',
  jobs: [node],
  labels: {},
});

export const up = gauge('up', {
  help: 'Whether the target was scraped.',
  unit: 'boolean',
  jobs: [api, web, node],
  labels: {},
});

export const testCatalog = defineCatalog([httpRequests, httpDuration, memoryAvailable, up]);
