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

/**
 * A rule file's YAML node as go/rules/tree.go encodes it, with offsets into the text:
 * `[0, start, flow, key, value, …]` a mapping, `[1, start, flow, item, …]` a sequence,
 * `[2, start, end, style, text]` a scalar (style 0 plain, 1 single-quoted, 2 double-quoted,
 * 3 literal, 4 folded; a plain scalar's text is not yet resolved to a number, boolean or null).
 */
export type RuleFileTree = readonly [
  kind: 0 | 1 | 2,
  start: number,
  ...rest: (number | string | RuleFileTree)[],
];

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
 * caller goes on (in the `background`: at a lower priority, for a caller that needs the result only
 * after its own work); the result has one list per text, in order. Any text gives a result; only a
 * validator that is not built or cannot run rejects.
 */
export async function validateRuleFiles(
  texts: readonly string[],
  options?: ParserOptions,
  {
    expressions = true,
    background = false,
  }: { readonly expressions?: boolean; readonly background?: boolean } = {},
): Promise<RuleFileProblem[][]> {
  if (texts.length === 0) return [];
  const flags = optionFlags(options) | (expressions ? 0 : SKIP_EXPRESSIONS);
  const output = await runNative(
    VALIDATOR,
    [],
    texts.map((text) => `${JSON.stringify({ text, flags })}\n`),
    { background },
  );
  return resultLines(VALIDATOR, output, texts.length).map(
    (line) => (JSON.parse(line) as { problems: RuleFileProblem[] }).problems,
  );
}

/**
 * Each YAML text's node tree with positions, read by Prometheus's own YAML parser (yaml.v3) in one
 * native process on every core: lint builds its documents from them instead of parsing the texts
 * again on its own thread. `tree(index)` decodes the tree of one text on demand, so that a caller
 * going through the files holds one file's tree at a time. A text outside what the tree encodes
 * exactly (go/rules/tree.go: one document whose root holds `groups`, ASCII, no anchors, tags,
 * multi-line plain or single-quoted scalars), and one yaml.v3 cannot read, has none: the caller
 * parses those itself.
 */
export async function ruleFileTrees(
  texts: readonly string[],
): Promise<{ tree(index: number): RuleFileTree | undefined }> {
  const lines =
    texts.length === 0
      ? []
      : resultLines(
          VALIDATOR,
          await runNative(
            VALIDATOR,
            ['tree'],
            texts.map((text) => `${JSON.stringify({ text })}\n`),
          ),
          texts.length,
        );
  return {
    tree: (index) => {
      const line = lines[index];
      return line === undefined ? undefined : (JSON.parse(line) as { tree?: RuleFileTree }).tree;
    },
  };
}
