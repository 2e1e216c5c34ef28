export {
  type LogqlError,
  type LogqlParseResult,
  type MatchOperator,
  parseLogql,
  type Span,
  type StreamMatcher,
  type StreamSelector,
  streamSelectors,
} from './parse.ts';
