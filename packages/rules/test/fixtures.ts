import { counter, gauge, histogram, job, label, re } from '@o11y/catalog';
import { alert, availability, type SloAlerting, slo } from '../src/index.ts';

/** A small catalogue of its own, so these tests do not move when the organisation's catalogue does. */
export const shopJob = job('shop', { scrapeInterval: '15s', instances: 2 });
export const slowJob = job('batch', { scrapeInterval: '5m', instances: 1 });

export const requests = counter('shop_requests_total', {
  help: 'Requests served.',
  unit: 'requests',
  jobs: [shopJob],
  labels: {
    route: label.values(['/cart', '/checkout']),
    code: label.values(['200', '404', '500', '503']),
  },
});

export const duration = histogram('shop_request_duration_seconds', {
  help: 'Request duration.',
  unit: 'seconds',
  jobs: [shopJob],
  labels: { route: label.values(['/cart', '/checkout']) },
  buckets: [0.1, 0.25, 0.5, 1, 2.5],
});

export const queueDepth = gauge('shop_queue_depth', {
  help: 'Jobs waiting.',
  unit: 'items',
  jobs: [shopJob],
  labels: {},
});

export const batchRuns = counter('batch_runs_total', {
  help: 'Batch runs.',
  unit: 'count',
  jobs: [slowJob],
  labels: { outcome: label.values(['ok', 'failed']) },
});

/** The shop's checkout availability SLO (99.9 % over 30 days), the usual subject of the SLO tests. */
export const checkout = (alerting?: SloAlerting) =>
  slo({
    service: { name: 'shop', team: 'web' },
    name: 'checkout',
    objective: 0.999,
    sli: availability({
      total: requests.select({ route: '/checkout' }),
      errors: requests.select({ route: '/checkout', code: re('5..') }),
    }),
    ...(alerting && { alerting }),
  });

/** Requests of a service deployed in several environments, for the SLOs computed per environment. */
export const deployedRequests = counter('deployed_requests_total', {
  help: 'Requests served, per environment.',
  unit: 'requests',
  jobs: [shopJob],
  labels: {
    environment: label.values(['production', 'staging', 'dev']),
    code: label.values(['200', '500']),
  },
});

/** The same requests served from two clusters, for SLOs computed per cluster. */
export const clusterRequests = counter('clustered_requests_total', {
  help: 'Requests served, per cluster.',
  unit: 'requests',
  jobs: [shopJob],
  labels: {
    cluster: label.values(['eu-1', 'us-1']),
    code: label.values(['200', '500']),
  },
});

/** An alert whose summary template does not parse: promtool check rules rejects it, our parser does not. */
export function unclosedTemplate() {
  return alert('QueueBacklogTemplate', {
    expr: queueDepth.gt(100),
    severity: 'warning',
    team: 'web',
    summary: 'The queue on {{ $labels.instance backs up',
    description: 'The queue is long.',
    runbookUrl: 'https://runbooks.example.com/QueueBacklog',
  });
}
