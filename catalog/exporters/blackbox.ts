import { gauge, label } from '@o11y/catalog';
import { blackboxJob } from '../jobs.ts';

/** blackbox_exporter probe results; relabelling puts the probed URL in `instance`. */
const jobs = [blackboxJob];

export const probeSuccess = gauge('probe_success', {
  help: 'Displays whether or not the probe was a success.',
  unit: 'boolean',
  jobs,
  labels: {},
});
export const probeDurationSeconds = gauge('probe_duration_seconds', {
  help: 'Returns how long the probe took to complete in seconds.',
  unit: 'seconds',
  jobs,
  labels: {},
});
export const probeHttpStatusCode = gauge('probe_http_status_code', {
  help: 'Response HTTP status code.',
  unit: 'count',
  jobs,
  labels: {},
});
export const probeHttpDurationSeconds = gauge('probe_http_duration_seconds', {
  help: 'Duration of http request by phase, summed over all redirects.',
  unit: 'seconds',
  jobs,
  labels: { phase: label.values(['resolve', 'connect', 'tls', 'processing', 'transfer']) },
});
export const probeSslEarliestCertExpiry = gauge('probe_ssl_earliest_cert_expiry', {
  help: 'Returns last SSL chain expiry in unixtime.',
  unit: 'timestamp',
  jobs,
  labels: {},
});
export const probeDnsLookupTimeSeconds = gauge('probe_dns_lookup_time_seconds', {
  help: 'Returns the time taken for probe dns lookup in seconds.',
  unit: 'seconds',
  jobs,
  labels: {},
});
