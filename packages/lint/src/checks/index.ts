import type { Check } from '../check.ts';
import { inhibitAcrossDimension } from './alertmanager/inhibit-across-dimension.ts';
import { undefinedReceiver } from './alertmanager/undefined-receiver.ts';
import { unknownLabel as alertmanagerUnknownLabel } from './alertmanager/unknown-label.ts';
import { unreachableRoute } from './alertmanager/unreachable-route.ts';
import { budget } from './cardinality/budget.ts';
import { datasourceHardcoded } from './dashboard/datasource-hardcoded.ts';
import { datasourceVariable } from './dashboard/datasource-variable.ts';
import { duplicate as dashboardDuplicate } from './dashboard/duplicate.ts';
import { legendLabel } from './dashboard/legend-label.ts';
import { missingRecordingRule } from './dashboard/missing-recording-rule.ts';
import { panelDescription } from './dashboard/panel-description.ts';
import { panelTitle } from './dashboard/panel-title.ts';
import { panelUnit } from './dashboard/panel-unit.ts';
import { rateInterval } from './dashboard/rate-interval.ts';
import { tooManyPanels } from './dashboard/too-many-panels.ts';
import { variableIgnored } from './dashboard/variable-ignored.ts';
import { estimateExceeded } from './live/estimate-exceeded.ts';
import { seriesMissing } from './live/series-missing.ts';
import { impossibleLineFilter } from './logql/impossible-line-filter.ts';
import { rangeTooShort as logqlRangeTooShort } from './logql/range-too-short.ts';
import { syntax as logqlSyntax } from './logql/syntax.ts';
import { unboundedSelector as logqlUnboundedSelector } from './logql/unbounded-selector.ts';
import { unknownStreamLabel } from './logql/unknown-stream-label.ts';
import { unknownStreamLabelValue } from './logql/unknown-stream-label-value.ts';
import { absent } from './promql/absent.ts';
import { counterRaw } from './promql/counter-raw.ts';
import { divisionNaN } from './promql/division-nan.ts';
import { fragileAggregation } from './promql/fragile-aggregation.ts';
import { histogramQuantileLe } from './promql/histogram-quantile-le.ts';
import { rangeTooShort } from './promql/range-too-short.ts';
import { rateNonCounter } from './promql/rate-non-counter.ts';
import { rateOfAggregation } from './promql/rate-of-aggregation.ts';
import { rawExpression } from './promql/raw-expression.ts';
import { regexp } from './promql/regexp.ts';
import { syntax } from './promql/syntax.ts';
import { unknownLabel } from './promql/unknown-label.ts';
import { unknownLabelValue } from './promql/unknown-label-value.ts';
import { unknownMetric } from './promql/unknown-metric.ts';
import { vectorMatching } from './promql/vector-matching.ts';
import { alertComparison } from './rules/alert-comparison.ts';
import { alertFor } from './rules/alert-for.ts';
import { droppedDimension } from './rules/dropped-dimension.ts';
import { duplicate as rulesDuplicate } from './rules/duplicate.ts';
import { groupInterval } from './rules/group-interval.ts';
import { labelConflict } from './rules/label-conflict.ts';
import { naming } from './rules/naming.ts';
import { promtoolCheck } from './rules/promtool-check.ts';
import { requiredAnnotations } from './rules/required-annotations.ts';
import { requiredLabels } from './rules/required-labels.ts';
import { templateLabels } from './rules/template-labels.ts';
import { templateLabelsOr } from './rules/template-labels-or.ts';
import { unusedRecording } from './rules/unused-recording.ts';
import { valueInLabel } from './rules/value-in-label.ts';

/** Every check, one per file under checks/<area>/<name>.ts; the id is `<area>/<name>`. */
export const allChecks: readonly Check[] = [
  syntax,
  promtoolCheck,
  rateNonCounter,
  counterRaw,
  histogramQuantileLe,
  rateOfAggregation,
  rangeTooShort,
  regexp,
  absent,
  divisionNaN,
  vectorMatching,
  logqlSyntax,
  logqlUnboundedSelector,
  impossibleLineFilter,
  logqlRangeTooShort,
  unknownStreamLabel,
  unknownStreamLabelValue,
  unknownMetric,
  unknownLabel,
  unknownLabelValue,
  fragileAggregation,
  droppedDimension,
  rawExpression,
  naming,
  requiredLabels,
  requiredAnnotations,
  alertFor,
  alertComparison,
  groupInterval,
  valueInLabel,
  rulesDuplicate,
  unusedRecording,
  labelConflict,
  templateLabels,
  templateLabelsOr,
  datasourceHardcoded,
  datasourceVariable,
  rateInterval,
  panelTitle,
  panelDescription,
  panelUnit,
  legendLabel,
  dashboardDuplicate,
  missingRecordingRule,
  tooManyPanels,
  variableIgnored,
  undefinedReceiver,
  unreachableRoute,
  alertmanagerUnknownLabel,
  inhibitAcrossDimension,
  budget,
  seriesMissing,
  estimateExceeded,
];
