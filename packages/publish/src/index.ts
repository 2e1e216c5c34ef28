export {
  type AlertmanagerConfigApiOptions,
  type AlertmanagerConfigApiResult,
  publishAlertmanagerConfigApi,
} from './alertmanager/config-api.ts';
export {
  type AlertmanagerPublishOptions,
  publishAlertmanager,
} from './alertmanager/publish.ts';
export {
  type DashboardSpec,
  derivedFolderUid,
  type FolderSpec,
  type GrafanaContent,
  grafanaContent,
} from './built/grafana.ts';
export {
  type DistTree,
  readDistTree,
  sourceOf,
  treeFromFiles,
} from './built/tree.ts';
export * from './diff/index.ts';
export { currentCommit, publishMessage } from './git.ts';
export type { GrafanaApi, LastChange, RemoteDashboard, RemoteFolder } from './grafana/api.ts';
export { type ApiPreference, detectGrafana } from './grafana/detect.ts';
export { contentChecksum, OWNER_TAG } from './grafana/ownership.ts';
export {
  applyGrafanaPlan,
  formatGrafanaPlan,
  type GrafanaPlan,
  type PublishSummary,
  planGrafana,
  planRefusals,
} from './grafana/publish.ts';
export {
  connectGrafana,
  DEFAULT_CONCURRENCY,
  type GrafanaConnection,
  type GrafanaPublishOptions,
  publishGrafana,
} from './grafana/run.ts';
export {
  applyNotifications,
  notificationRefusals,
  planNotifications,
  type SecretSource,
} from './grafana-alerting/notifications.ts';
export {
  type AlertingPlan,
  alertingRefusals,
  applyAlerting,
  CHECKSUM_ANNOTATION,
  PROVENANCE_HEADER,
  planAlerting,
  verifyAlerting,
} from './grafana-alerting/rules.ts';
export { HttpClient, type HttpClientOptions, type RetryPolicy } from './http/client.ts';
export type {
  OptionValues,
  PublishContext,
  Publisher,
  PublisherOption,
  PublishOutcome,
  PublishPlan,
} from './publisher.ts';
export { publishers } from './publishers.ts';
export { type PrometheusRulesOptions, publishPrometheusRules, RULES_STATE_FILE } from './rules/prometheus.ts';
export {
  formatRulerPlan,
  planRuler,
  publishRuler,
  RULER_APIS,
  type RulerApi,
  type RulerPublishOptions,
  type RulerPublishResult,
  type RulerStep,
  rulerPath,
} from './rules/ruler.ts';
export { readSecret } from './secrets.ts';
