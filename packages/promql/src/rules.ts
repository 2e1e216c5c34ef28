import { type NativeProgram, resultLines, runNative } from './native.ts';
import { optionFlags, type ParserOptions } from './wasm.ts';

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

/** upstream's rulefmt built natively (go/cmd/rules-native: why not wasm). */
const VALIDATOR: NativeProgram = { file: 'rules-native', what: 'the rule file validator' };

/** The bit of go/rules (SkipExpressions) that leaves every expression unparsed. */
const SKIP_EXPRESSIONS = 1 << 8;

/**
 * Validates Prometheus rule files with upstream's own rulefmt, as the pinned `promtool check rules`
 * does: unknown fields, duplicate keys, durations, PromQL (with the given parser features), label
 * and annotation names, and the Go templates of alerts' labels and annotations. With
 * `expressions: false` the PromQL is left to the caller, who parses it with the same parser anyway
 * (about a tenth of the time). One process validates all the texts, on the other core while the
 * caller goes on; the result has one list per text, in order. Any text gives a result; only a
 * validator that is not built or cannot run rejects.
 */
export async function validateRuleFiles(
  texts: readonly string[],
  options?: ParserOptions,
  { expressions = true }: { readonly expressions?: boolean } = {},
): Promise<RuleFileProblem[][]> {
  if (texts.length === 0) return [];
  const flags = optionFlags(options) | (expressions ? 0 : SKIP_EXPRESSIONS);
  const output = await runNative(
    VALIDATOR,
    [],
    texts.map((text) => `${JSON.stringify({ text, flags })}\n`),
  );
  return resultLines(VALIDATOR, output, texts.length).map(
    (line) => (JSON.parse(line) as { problems: RuleFileProblem[] }).problems,
  );
}
