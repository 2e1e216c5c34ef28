export type { GlobalOptions, SmtpOptions, Template } from './config.ts';
export {
  ALERTMANAGER_CONFIG,
  AlertmanagerConfig,
  alertmanager,
  DEFAULT_SECRETS_DIRECTORY,
} from './config.ts';
export { emitter } from './emitter.ts';
export { InhibitRule } from './inhibit.ts';
export type { AlertLabels, LabelName, LabelValue, LabelVocabulary } from './labels.ts';
export { formatMatcher, literalAlternatives, type Matcher, Matching } from './matchers.ts';
export type {
  DiscordOptions,
  EmailOptions,
  MSTeamsOptions,
  MSTeamsV2Options,
  OpsGenieOptions,
  PagerdutyOptions,
  SlackOptions,
  Verbatim,
  WebhookOptions,
} from './receivers.ts';
export { Receiver, receiver } from './receivers.ts';
export {
  type RenderedFile,
  referenced,
  renderConfig,
  renderDeployable,
  validateConfig,
} from './render.ts';
export { Route, type RouteTiming } from './route.ts';
export {
  describeSecretLiteral,
  type EnvSecret,
  type FileSecret,
  isSecret,
  type Secret,
  secret,
  secretKind,
} from './secrets.ts';
export type { AllowedUnrouted, InhibitionCase, RoutingCase, TestsFile } from './testing/cases.ts';
export { ALERTMANAGER_TESTS, AlertmanagerTests, alertmanagerTests } from './testing/cases.ts';
export type { AlertEntry } from './testing/coverage.ts';
export { inhibitionTestConfig } from './testing/inhibition.ts';
export {
  matchRoutes,
  type RouteNode,
  type RoutingConfig,
  readRoutingConfig,
  receiversFor,
} from './testing/routing-tree.ts';
export { type AlertmanagerTestContext, runAlertmanagerTests, tester } from './testing/run.ts';
export {
  type Notification,
  type NotificationStatus,
  type NotifiedAlert,
  startWebhookSink,
  type WebhookSink,
} from './testing/webhook-sink.ts';
export { renderTimeInterval, TimeInterval, type TimePeriod, timeInterval } from './time-intervals.ts';
