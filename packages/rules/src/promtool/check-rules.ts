import { availableParallelism } from 'node:os';
import { toPromQL } from '@o11y/catalog';
import type { Diagnostic, SourceLocation } from '@o11y/core';
import type { RuleGroup } from '../group.ts';
import { run } from './run.ts';

/** A rule file as written under dist/, with the groups (and their TypeScript lines) it holds. */
export interface RuleFileToCheck {
  /** The path relative to the verified directory, as promtool is given it. */
  readonly path: string;
  readonly groups: readonly RuleGroup[];
}

const PROMTOOL_HINT = 'the rule file was generated from this definition; fix the expression or rule it names';

/** Splits files into `count` lists of about the same number of rules, each in the files' order. */
function balanced(files: readonly RuleFileToCheck[], count: number): RuleFileToCheck[][] {
  const weight = (f: RuleFileToCheck) => f.groups.reduce((n, g) => n + g.rules.length, 0);
  const total = files.reduce((n, f) => n + weight(f), 0);
  const chunks: RuleFileToCheck[][] = [[]];
  let filled = 0;
  for (const file of files) {
    if (filled >= (total / count) * chunks.length && chunks.length < count) chunks.push([]);
    chunks.at(-1)!.push(file);
    filled += weight(file);
  }
  return chunks.filter((c) => c.length > 0);
}

/** promtool's report: the files it checked, and of each that failed the lines after its `FAILED:`, one error per entry. */
function promtoolReport(output: string): { checked: Set<string>; failures: Map<string, string[]> } {
  const checked = new Set<string>();
  const failures = new Map<string, string[]>();
  let current: string[] | undefined;
  let file: string | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('Checking ')) {
      file = line.slice('Checking '.length);
      checked.add(file);
      current = undefined;
    } else if (/^\s+FAILED:/.test(line) && file !== undefined) {
      current = failures.get(file) ?? [];
      failures.set(file, current);
      const rest = line.replace(/^\s+FAILED:\s*/, '');
      if (rest) current.push(rest);
    } else if (current && line.trim() !== '') {
      // An error starts with the file name or `lint error`; other lines continue the one before.
      if (line.startsWith(`${file}: `) || line.startsWith('lint error') || current.length === 0)
        current.push(line);
      else current[current.length - 1] += `\n${line}`;
    }
  }
  return { checked, failures };
}

const RULE_ERROR = /^(?:\d+:\d+: )*group "(.*)", rule (\d+), "(.*?)": ([\s\S]*)$/;
const PARSE_ERROR = /^could not parse expression: (?:(\d+:\d+): parse error: )?([\s\S]*)$/;
const DUPLICATE_METRIC = /^Metric: (.*)$/gm;

/** The TypeScript line of what one promtool error names: the rule, the duplicated recording rule, or the file. */
function diagnosticsOf(file: RuleFileToCheck, error: string): Diagnostic[] {
  const text = error.startsWith(`${file.path}: `) ? error.slice(file.path.length + 2) : error;
  const at = (source: SourceLocation, message: string): Diagnostic => ({
    severity: 'error',
    id: 'promtool/check-rules',
    message: `promtool check rules rejects dist/${file.path}: ${message}`,
    source,
    hint: PROMTOOL_HINT,
  });
  const ruleError = RULE_ERROR.exec(text);
  if (ruleError) {
    const [, groupName, index, ruleName, message] = ruleError;
    const group = file.groups.find((g) => g.name === groupName);
    const rule = group?.rules[Number(index) - 1];
    if (group && rule) {
      const parseError = PARSE_ERROR.exec(message!);
      if (!parseError) return [at(rule.source, `rule ${ruleName} (group ${groupName}): ${message}`)];
      // The problem lint's promql/syntax reports at the same rule (same parser, same release): the build
      // keeps one of the two (`withoutRepeats`), as when lint's check is off or only a warning.
      const [, position, reason] = parseError;
      return [
        {
          severity: 'error',
          id: 'promql/syntax',
          message: `invalid PromQL in rule ${ruleName} (group ${groupName})${position ? ` at ${position}` : ''}: ${reason}`,
          source: rule.source,
          hint: `fix the expression; \`o11y promql parse '${toPromQL(rule.expr)}'\` shows the error under it`,
        },
      ];
    }
  }
  if (text.startsWith('lint error') && text.includes('duplicate rule')) {
    const found = [...text.matchAll(DUPLICATE_METRIC)].flatMap(([, metric]): Diagnostic[] => {
      // The later rule of the name is the duplicate of the earlier.
      const rules = file.groups.flatMap((g) => g.rules).filter((r) => r.name === metric);
      const duplicate = rules.at(-1);
      if (!duplicate) return [];
      const message = `recording rule ${metric} is defined more than once with the same labels`;
      // Lint's rules/duplicate finds it at the same rule: the build says it once (`withoutRepeats`).
      return [{ ...at(duplicate.source, message), id: 'rules/duplicate' }];
    });
    if (found.length > 0) return found;
  }
  return [at(file.groups[0]!.source, text)];
}

/**
 * `promtool check rules` on every file in as few processes as there are cores (one per chunk, files
 * balanced by rule count), its errors mapped to the TypeScript line of the rule they name. Only what
 * failed is reported: promtool's SUCCESS lines are dropped.
 */
export async function promtoolCheckRules(
  promtool: string,
  files: readonly RuleFileToCheck[],
  dir: string,
): Promise<Diagnostic[]> {
  if (files.length === 0) return [];
  const chunks = balanced(files, Math.max(1, Math.min(availableParallelism(), 4)));
  const results = await Promise.all(
    chunks.map((chunk) =>
      // One stream for stdout and stderr: promtool says which file it checks on one and why it failed on the other.
      run(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...chunk.map((f) => f.path)], dir, {
        mergeOutput: true,
      }),
    ),
  );
  return results.flatMap((result, i): Diagnostic[] => {
    if (result.code === 0) return [];
    const { failures } = promtoolReport(result.output);
    const found = chunks[i]!.flatMap((file) =>
      (failures.get(file.path) ?? []).flatMap((e) => diagnosticsOf(file, e)),
    );
    if (found.length > 0) return found;
    return [
      {
        severity: 'error',
        id: 'promtool/check-rules',
        message: `promtool check rules failed (exit ${result.code}): ${result.output.trim()}`,
        source: chunks[i]![0]!.groups[0]!.source,
        hint: PROMTOOL_HINT,
      },
    ];
  });
}

/** A Prometheus configuration as written under dist/, with the rule files it loads. */
export interface ConfigToCheck {
  /** The path relative to the verified directory, as promtool is given it. */
  readonly path: string;
  readonly source: SourceLocation;
  /** The rule files it loads, relative to the verified directory, as promtool names them. */
  readonly ruleFiles: readonly string[];
}

/**
 * promtool on every configuration and every rule file, each rule file once: `check config` checks the
 * rule files a configuration loads as `check rules` does (the same parser, the same lint), so
 * `check rules` is given only the files no configuration loads, and afterwards those of a configuration
 * promtool could not load. A rule file's errors are mapped as promtoolCheckRules maps them, once if
 * several configurations load it; a configuration's own errors are reported at its definition.
 */
export async function promtoolCheck(
  promtool: string,
  files: readonly RuleFileToCheck[],
  configs: readonly ConfigToCheck[],
  dir: string,
): Promise<Diagnostic[]> {
  const loaded = new Set(configs.flatMap((config) => config.ruleFiles));
  const [alone, checkedConfigs] = await Promise.all([
    promtoolCheckRules(
      promtool,
      files.filter((file) => !loaded.has(file.path)),
      dir,
    ),
    Promise.all(
      configs.map(async (config) => {
        const args = ['check', 'config', '--lint=all', '--lint-fatal', config.path];
        const result = await run(promtool, args, dir, { mergeOutput: true });
        return { config, result, report: promtoolReport(result.output) };
      }),
    ),
  ]);
  const checked = new Set(checkedConfigs.flatMap(({ report }) => [...report.checked]));
  const retried = await promtoolCheckRules(
    promtool,
    files.filter((file) => loaded.has(file.path) && !checked.has(file.path)),
    dir,
  );
  const byPath = new Map(files.map((file) => [file.path, file]));
  const ruleErrors: Diagnostic[] = [];
  const configErrors: Diagnostic[] = [];
  const mapped = new Set<string>();
  for (const { config, result, report } of checkedConfigs) {
    if (result.code === 0) continue;
    let ruleFileFailed = false;
    for (const [path, errors] of report.failures) {
      const file = byPath.get(path);
      if (!file) continue;
      ruleFileFailed = true;
      if (mapped.has(path)) continue;
      mapped.add(path);
      ruleErrors.push(...errors.flatMap((error) => diagnosticsOf(file, error)));
    }
    const own = report.failures.get(config.path);
    if (own || !ruleFileFailed) {
      configErrors.push({
        severity: 'error',
        id: 'promtool/check-config',
        message: `promtool check config rejects dist/${config.path}: ${own?.join('\n') ?? result.output.trim()}`,
        source: config.source,
      });
    }
  }
  return [...alone, ...ruleErrors, ...retried, ...configErrors];
}
