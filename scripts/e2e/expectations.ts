import type { Absence } from './harness/conformity.ts';
import type { Selection } from './harness/dashboard-queries.ts';

/** What the end-to-end check accepts as legitimately missing on a healthy estate, each with its reason. */

export interface EmptyPanel {
  readonly dashboard: string | RegExp;
  readonly panel: string | RegExp;
  /** Only this query of the panel (default: any). */
  readonly refId?: string;
  /** Only with this variable selection (default: both). */
  readonly selection?: Selection;
  readonly reason: string;
}

/** Panels that may show no data on a healthy estate, and why. Matched by dashboard uid or title and panel title. */
export const LEGITIMATELY_EMPTY: readonly EmptyPanel[] = [
  {
    dashboard: /.*/,
    panel: /alert/i,
    reason: 'alert-state panels read ALERTS, which has no series while nothing fires',
  },
  {
    dashboard: 'blackbox-uptime',
    panel: 'Certificate expiry',
    reason:
      'the test stack probes plain HTTP, which has no certificate (blackbox_exporter reports no expiry either)',
  },
  {
    dashboard: 'blackbox-uptime',
    panel: 'Targets down',
    reason: 'counts failing probes (probe_success == 0): empty while every probe succeeds',
  },
  {
    dashboard: /^(notifications|search)-red$/,
    panel: /^Error ratio/,
    reason:
      'OpenTelemetry histograms have no zero-initialised series: until an OpenTelemetry service answers a 5xx there is no error series to divide',
  },
  {
    dashboard: /^(golden-signals|executive-summary)$/,
    panel: /^(Error ratio|Availability over the range)$/,
    refId: 'B',
    reason: 'the OpenTelemetry half of a mixed panel; no OpenTelemetry service has answered a 5xx yet',
  },
  {
    dashboard: /^(golden-signals|executive-summary)$/,
    panel: /.*/,
    refId: 'B',
    selection: 'first',
    reason:
      'the OpenTelemetry half of a mixed panel, with $service set to the first service, a prom-client one',
  },
  {
    dashboard: 'golden-signals',
    panel: 'Database pool utilisation',
    selection: 'first',
    reason: 'the first $service (api-gateway) keeps no data in PostgreSQL, so it has no database pool',
  },
];

/** Catalogue metrics the sample service does not expose, and why. */
export const ABSENT_IN_TEST_STACK: readonly Absence[] = [
  { metric: 'probe_ssl_earliest_cert_expiry', reason: 'plain-HTTP probes have no certificate' },
  {
    metric: 'nodejs_active_requests',
    reason:
      'prom-client exposes a series per libuv request type in flight at scrape time; a quiet process has none, so a job may not have one yet',
  },
];
