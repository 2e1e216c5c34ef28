export {
  isMetricQuery,
  keptLabels,
  type LineFilter,
  type LineFilterOperator,
  lineFilterChains,
  type RangeAggregation,
  rangeAggregations,
} from './analysis.ts';
export {
  caretLines,
  holdsVariable,
  type LogqlError,
  type LogqlParseResult,
  type MatchOperator,
  parseLogql,
  type Span,
  type StreamMatcher,
  type StreamSelector,
  streamSelectors,
} from './parse.ts';
