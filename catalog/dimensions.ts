import { defineDimensions } from '@o11y/catalog';
import { environments } from './services.ts';

/**
 * One Prometheus per cluster, each with `external_labels: { cluster }`: off while we run one cluster, so
 * no dashboard asks for a cluster. Turn it on when a second cluster writes to the same Cortex: the build
 * then writes a prometheus.yml per cluster (rules/prometheus.ts), each with its own cluster label.
 */
export const multiCluster = false;

/** Our clusters; the first is the one we run while multiCluster is off. */
export const clusters = ['production-eu', 'production-us'] as const;

/**
 * Our deployment dimensions, declared once: every recording rule and alert keeps `environment` (lint's
 * rules/dropped-dimension fails the aggregations that drop it), SLOs are computed and alerted per
 * environment, dashboards filter every panel by it. The scrape targets carry it (rules/prometheus.ts
 * lists each environment's targets with their `environment`), so every series of a service has it,
 * `up` included: a staging target that is down is staging's alert.
 */
export const dimensions = defineDimensions({
  environment: { values: environments, source: 'target' },
  cluster: { values: clusters, source: 'external_labels', enabled: multiCluster },
});
