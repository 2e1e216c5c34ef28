import { defineDimensions } from '@o11y/catalog';
import { environments } from './services.ts';

/**
 * One Prometheus per cluster, each with `external_labels: { cluster }`: off while we run one cluster, so
 * no dashboard asks for a cluster. Turn it on when a second cluster writes to the same Cortex: dashboards
 * then get a `$cluster` variable that filters every panel.
 */
export const multiCluster = false;

/**
 * Our deployment dimensions, declared once: every recording rule and alert keeps `environment` (lint's
 * rules/dropped-dimension fails the aggregations that drop it), SLOs are computed and alerted per
 * environment, dashboards filter every panel by it. prom-client services set `environment` themselves;
 * for OpenTelemetry services the scrape copies `deployment_environment_name` into it.
 */
export const dimensions = defineDimensions({
  environment: { values: environments, source: 'relabel' },
  cluster: { source: 'external_labels', enabled: multiCluster },
});
