export type * from './ast.ts';
export {
  type DashboardParseResult,
  type DashboardQuery,
  type DashboardQueryProblems,
  type DashboardVariables,
  dashboardQueryProblems,
  type PlaceholderKind,
  parseDashboardQueries,
  parseDashboardQuery,
  type VariableUse,
} from './grafana.ts';
export { PromQLParseError, parse, parseAll, parseErrors, prettify } from './parse.ts';
export { type RuleFileProblem, type RuleFileTree, ruleFileTrees, validateRuleFiles } from './rules.ts';
export { aggregations, functionsUsed, selectors, walk } from './walk.ts';
export { init, optionFlags, type ParserOptions } from './wasm.ts';
