export {
  jobLimits,
  type PrometheusConfig,
  type PrometheusConfigOptions,
  type PrometheusServer,
  prometheusConfig,
  prometheusYaml,
  type RelabelConfig,
  type RemoteWrite,
  type ScrapeJob,
  type ScrapeJobOptions,
  scrapeJob,
  seriesPerTarget,
  type TargetGroup,
  targetGroups,
} from './config/prometheus.ts';
export { emitter, mimirNamespace } from './emit/emitter.ts';
export { type Plan, type PlannedSuite, plan } from './emit/plan.ts';
export { alertEvaluator, type RuleGroup, type RuleGroupOptions, ruleGroup } from './group.ts';
export { type EventSeries, eventSeries } from './import/event-series.ts';
export { importOpenSlo, parseOpenSlo } from './import/openslo.ts';
export { type ImportOptions, importSloth, parseSloth } from './import/sloth.ts';
export { type VerbatimAlertOptions, verbatimAlert } from './import/verbatim.ts';
export { KIND } from './kinds.ts';
export {
  type AlertLabelVocabulary,
  SEVERITIES,
  type Severity,
  SLO_SEVERITIES,
  type SloSeverity,
} from './labels.ts';
export {
  type LokiAlertingRule,
  type LokiAlertOptions,
  type LokiRecordingRule,
  type LokiRule,
  type LokiRuleGroup,
  type LokiRuleGroupOptions,
  lokiAlert,
  lokiRecord,
  lokiRuleGroup,
} from './loki.ts';
export { compressDuration, TEST_PROFILE, type TimeCompression, timeCompression } from './profile.ts';
export {
  type AlertExpectation,
  type ExpectedAlert,
  type ExpectedSample,
  type ExprExpectation,
  fires,
  near,
  type RuleTestCase,
  type RuleTests,
  ruleTests,
  samples,
  series,
  silent,
  testCase,
} from './promtool/suite.ts';
export { constant, linear, missing, stale, type ValuesPiece, values } from './promtool/values.ts';
export {
  type AlertingRule,
  type AlertOptions,
  alert,
  type RecordingRule,
  type RecordOptions,
  type Rule,
  record,
  recordingRuleOf,
} from './rule.ts';
export {
  availability,
  type InputSeries,
  latency,
  ratio,
  type Sli,
  type SliTestInput,
  type Traffic,
} from './slo/sli.ts';
export { SLO_RECORDS, type Slo, type SloAlerting, type SloOptions, slo } from './slo/slo.ts';
export { type AlertWindow, type BurnRateWindow, defaultWindows } from './slo/windows.ts';
export { coverage, tester } from './tester.ts';
