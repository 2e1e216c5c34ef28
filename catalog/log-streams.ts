import { defineLogStreams } from '@o11y/catalog';
import { clusters, multiCluster } from './dimensions.ts';
import { environments, serviceNames } from './services.ts';

/**
 * The stream labels our log agent puts on every service's logs in Loki: the service and environment of
 * the container that wrote the line, and its instance; with several clusters, the agent's
 * `external_labels` add the cluster as Prometheus's do, so the log panels filter by `$cluster` too.
 * Everything else in a line (level, route, event) is JSON the queries parse with `| json`. Lint checks
 * every Loki selector of dashboards and rules against these.
 */
export const logStreams = defineLogStreams({
  service: { values: serviceNames, description: 'the service that wrote the line' },
  environment: { values: environments, description: 'the environment it runs in' },
  instance: { description: 'the container, as host:port like the scrape targets' },
  ...(multiCluster
    ? { cluster: { values: clusters, description: 'the cluster, from the agent’s external_labels' } }
    : {}),
});
