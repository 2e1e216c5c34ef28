export { type LogqlError, type LogqlParseResult, parseLogql, type Span } from './parse.ts';
