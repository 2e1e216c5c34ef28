import { job, label, nativeHistogram } from '../src/index.ts';

/** A native histogram with its own job, for the native histogram tests. */
export const gateway = job('gateway', { scrapeInterval: '15s', instances: 2 });

export const gatewayLatency = nativeHistogram('gateway_request_duration_seconds', {
  help: 'Duration of requests through the gateway in seconds.',
  unit: 'seconds',
  jobs: [gateway],
  labels: { route: label.cardinality(40), method: label.values(['GET', 'POST']) },
  bucketFactor: 1.1,
});
