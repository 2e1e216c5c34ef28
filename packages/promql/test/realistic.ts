/**
 * Realistic PromQL as rules and dashboards of the sample platform write it: the benchmark corpus and
 * the fuzzer's seeds. Short ≈ 30, medium ≈ 80, long ≈ 200+ characters.
 */
export const SHORT = [
  'up{job="node"} == 0',
  'rate(process_cpu_seconds_total[5m])',
  'sum(up) by (job)',
  'node_load1 > 4',
  'redis_up == 0',
  'pg_up{instance=~".+"} == 0',
  'probe_success == 0',
  'increase(orders_created_total[1h])',
] as const;

export const MEDIUM = [
  'sum by (service) (rate(http_requests_total{status=~"5..", env="prod"}[5m])) > 0.5',
  'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
  '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.85',
  'node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes < 0.1',
  'predict_linear(node_filesystem_free_bytes{mountpoint="/"}[6h], 4 * 3600) < 0',
  'sum(rate(payments_failed_total[10m])) / sum(rate(payments_attempted_total[10m]))',
  'pg_stat_activity_count{state="active"} / pg_settings_max_connections > 0.8',
  'max_over_time(redis_connected_clients[5m]) > 0.9 * redis_config_maxclients',
  'probe_ssl_earliest_cert_expiry - time() < 86400 * 14 and probe_success == 1',
  'topk(5, sum by (route) (rate(http_requests_total{service="api-gateway"}[5m])))',
] as const;

export const LONG = [
  `(
  sum by (service) (rate(http_requests_total{env="prod", status=~"5.."}[5m]))
/
  sum by (service) (rate(http_requests_total{env="prod"}[5m]))
) > (14.4 * (1 - 0.999))
and
(
  sum by (service) (rate(http_requests_total{env="prod", status=~"5.."}[1h]))
/
  sum by (service) (rate(http_requests_total{env="prod"}[1h]))
) > (14.4 * (1 - 0.999))`,
  'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{service=~"orders|payments|users", route!="/healthz"}[5m]))) > on (service) group_left (team) (0.5 * max by (service, team) (service_latency_objective_seconds))',
  'sum without (instance, pod) (rate(container_cpu_usage_seconds_total{namespace="platform", container!=""}[5m])) / sum without (instance, pod) (kube_pod_container_resource_limits{resource="cpu", namespace="platform"}) > 0.9',
  'avg_over_time((sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])))[30m:1m]) > 0.01 unless on (service) (maintenance_window_active == 1)',
  'label_replace(sum by (queue) (rate(jobs_processed_total{queue=~"email|sms|push"}[10m]) offset 1d), "channel", "$1", "queue", "(.*)") / ignoring (channel) group_left sum by (queue) (rate(jobs_processed_total[10m]))',
] as const;

/** Grafana panel queries, with the variables Grafana substitutes. */
export const DASHBOARD = [
  'sum by (service) (rate(http_requests_total{env="$env", service=~"$service"}[$__rate_interval]))',
  `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service=~"\${service:regex}"}[$__rate_interval])))`,
  'increase(orders_created_total{env="$env"}[$__range]) / $__range_s',
  'sum by ($group) (rate(node_network_receive_bytes_total{instance=~"[[instance]]"}[$__interval]))',
] as const;

export const REALISTIC: readonly string[] = [...SHORT, ...MEDIUM, ...LONG];
