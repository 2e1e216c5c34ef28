import { services } from '../../catalog/index.ts';
import { blackbox } from '../../dashboards/infrastructure.ts';
import { executiveSummary, goldenSignals } from '../../dashboards/overview.ts';
import { redDashboards, sloDashboards } from '../../dashboards/services.ts';
import type { Absence } from './harness/conformity.ts';
import type { Selection } from './harness/dashboard-queries.ts';

/** How long the stack runs before panels are checked: long enough for every rate window and rarer statuses. */
export const WARM_UP_MS = 45_000;

/** What the end-to-end check accepts as legitimately missing on a healthy estate, each with its reason. */

export interface EmptyPanel {
  /** The dashboard's uid, taken from its definition so a renamed dashboard cannot drift from its exemption. */
  readonly dashboard: string;
  /** The panel's exact title. */
  readonly panel: string;
  /** Only this query of the panel (default: any). */
  readonly refId?: string;
  /** Only with this variable selection (default: both). */
  readonly selection?: Selection;
  readonly reason: string;
}

/** `services[i]` and its RED dashboard: dashboards/services.ts maps the service list in order. */
const perService = services.map((service, i) => ({ service, red: redDashboards[i]! }));

/**
 * The OpenTelemetry query (`B`) of the golden-signals and executive-summary panels that mix both HTTP
 * conventions; `A` reads prom-client.
 */
const MIXED_ERROR_PANELS = [
  { dashboard: goldenSignals.uid, panel: 'Error ratio' },
  { dashboard: executiveSummary.uid, panel: 'Availability over the range' },
];
const MIXED_PANELS = [
  ...MIXED_ERROR_PANELS,
  { dashboard: goldenSignals.uid, panel: 'p95 latency' },
  { dashboard: goldenSignals.uid, panel: 'Traffic' },
  { dashboard: executiveSummary.uid, panel: 'Requests' },
];

/** Panels that may show no data on a healthy estate, and why. Matched by dashboard uid and exact panel title. */
export const LEGITIMATELY_EMPTY: readonly EmptyPanel[] = [
  ...sloDashboards.map((slo) => ({
    dashboard: slo.uid,
    panel: 'Burn-rate alerts firing',
    reason:
      'counts the burn-rate alert conditions that hold: no series while no SLO burns its budget that fast',
  })),
  {
    dashboard: blackbox.uid,
    panel: 'Certificate expiry',
    reason:
      'the test stack probes plain HTTP, which has no certificate (blackbox_exporter reports no expiry either)',
  },
  {
    dashboard: blackbox.uid,
    panel: 'Targets down',
    reason: 'counts failing probes (probe_success == 0): empty while every probe succeeds',
  },
  ...perService
    .filter(({ service }) => service.instrumentation === 'otel')
    .flatMap(({ red }) =>
      ['Error ratio', 'Error ratio by route'].map((panel) => ({ dashboard: red.uid, panel })),
    )
    .map((panel) => ({
      ...panel,
      reason:
        'OpenTelemetry histograms have no zero-initialised series: until an OpenTelemetry service answers a 5xx there is no error series to divide',
    })),
  ...MIXED_ERROR_PANELS.map((mixed) => ({
    ...mixed,
    refId: 'B',
    reason: 'the OpenTelemetry half of a mixed panel; no OpenTelemetry service has answered a 5xx yet',
  })),
  ...MIXED_PANELS.map((mixed) => ({
    ...mixed,
    refId: 'B',
    selection: 'first' as const,
    reason:
      'the OpenTelemetry half of a mixed panel, with $service set to the first service, a prom-client one',
  })),
  {
    dashboard: goldenSignals.uid,
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
