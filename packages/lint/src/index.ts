export type { LabelBound, Shape } from './analysis/shape.ts';
export {
  type CardinalityReport,
  type Estimate,
  estimateCardinality,
  formatCardinalityTable,
  type SelectorEstimate,
} from './cardinality.ts';
export {
  type Check,
  type CheckContext,
  type CheckOption,
  defineCheck,
  describeTarget,
  type Finding,
  type Span,
  sourceOf,
  type Target,
} from './check.ts';
export { allChecks } from './checks/index.ts';
export {
  type Budgets,
  type CheckSetting,
  type DefinedConfig,
  defineConfig,
  type LintConfig,
  loadConfig,
  parserOptions,
  resolveConfig,
  type Suppression,
} from './config.ts';
export { renderCheckDoc, renderCheckIndex } from './docs.ts';
export {
  type LintFinding,
  type LintOptions,
  type LintReport,
  type LintResult,
  lint,
  lintInParts,
} from './lint.ts';
export type { LiveData } from './live/data.ts';
export { PrometheusClient, redactedUrl } from './live/prometheus.ts';
export { isClassicDashboard, isV2Dashboard, V2_VARIABLE_TYPES } from './load/dashboard-file.ts';
export type { ExpressionOrigin } from './load/document.ts';
export { type LoadedFiles, loadFiles, loadText, type PlainSources } from './load/files.ts';
export {
  type Expression,
  LintProject,
  parseRulesAhead,
  type QueryEntry,
  type RuleEntry,
  type RulesParsedAhead,
} from './project.ts';
export { formatGitHub } from './report/github.ts';
export { caretLines, formatHuman, summarise } from './report/human.ts';
export { formatJSON } from './report/json.ts';
export { formatSARIF } from './report/sarif.ts';
export type { KnownSeries, MetricCatalog } from './series.ts';
