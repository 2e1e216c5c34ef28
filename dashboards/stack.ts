import { grafanaStack } from '@o11y/dashboards';

/**
 * The Grafana that mounts dist/: datasource URLs of the sample stack. Classic dashboard JSON only;
 * add `resources: ['v1']` to also write dashboard.grafana.app/v1 resources under dist/grafana/resources/.
 */
export const stack = grafanaStack();
