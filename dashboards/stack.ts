import { grafanaStack } from '@o11y/dashboards';

/**
 * The Grafana that mounts dist/: the backends of the sample stack by their host names there. Classic
 * dashboard JSON only; add `resources: ['v1']` (and/or `'v2beta1'`) to also write dashboard.grafana.app
 * resources under dist/grafana/resources/.
 */
export const stack = grafanaStack({
  prometheusUrl: 'http://prometheus:9090',
  alertmanagerUrl: 'http://alertmanager:9093',
  jaegerUrl: 'http://jaeger:16686',
  lokiUrl: 'http://loki:3100',
});
