import { grafanaStack } from '@o11y/dashboards';

/**
 * The Grafana that mounts dist/: datasource URLs of the sample stack. Classic dashboard JSON only;
 * add `resources: ['v1']` (and/or `'v2beta1'`) to also write dashboard.grafana.app resources under dist/grafana/resources/.
 */
export const stack = grafanaStack();
