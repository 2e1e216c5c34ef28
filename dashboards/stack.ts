import { grafanaStack } from '@o11y/dashboards';

/** The Grafana that mounts dist/: datasource URLs of the sample stack, and v1 resources for /apis publishing. */
export const stack = grafanaStack({ resources: ['v1'] });
