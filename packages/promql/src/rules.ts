import { callValidator, optionFlags, type ParserOptions } from './wasm.ts';

/** One error the pinned `promtool check rules` reports for a rule file. */
export interface RuleFileProblem {
  readonly message: string;
  /** Where the error is (1-based), when upstream names a position. */
  readonly line?: number;
  readonly column?: number;
  /** The group and the rule in it (1-based) an error about one rule is about, when it names no position. */
  readonly group?: string;
  readonly rule?: number;
}

/** The bit of go/rules (SkipExpressions) that leaves every expression unparsed. */
const SKIP_EXPRESSIONS = 1 << 8;

/**
 * Validates a Prometheus rule file with upstream's own rulefmt, as the pinned `promtool check rules`
 * does: unknown fields, duplicate keys, durations, PromQL (with the given parser features), label
 * and annotation names, and the Go templates of alerts' labels and annotations. With
 * `expressions: false` the PromQL is left to the caller, who parses it with the same parser anyway
 * (about a tenth of the time). Needs `await initRuleValidator()` once; never throws for any input afterwards.
 */
export function validateRuleFile(
  text: string,
  options?: ParserOptions,
  { expressions = true }: { readonly expressions?: boolean } = {},
): readonly RuleFileProblem[] {
  const flags = optionFlags(options) | (expressions ? 0 : SKIP_EXPRESSIONS);
  return (JSON.parse(callValidator(text, flags)) as { problems: RuleFileProblem[] }).problems;
}
