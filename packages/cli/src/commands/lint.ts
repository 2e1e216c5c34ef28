import path from 'node:path';
import { type Formatters, parseDuration, toDiagnostics, writeFileAtomic } from '@o11y/core';
// The libraries are imported when the verb runs, so that `o11y --help` does not load them.
import type { CardinalityReport, LintFinding, LintOptions, LintReport, RulesParsedAhead } from '@o11y/lint';
import type { ParserOptions } from '@o11y/promql';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';
import { chooseFormat, failOnOption } from '../options.ts';

const RANK = { info: 0, warning: 1, error: 2 } as const;

interface LintReportOptions {
  readonly colour: boolean;
  readonly cardinality: CardinalityReport | undefined;
}

/** The report formats; the human one carries the cardinality table, the others leave it to stderr. */
function formatsOf(lib: typeof import('@o11y/lint')) {
  return {
    human: (report, { colour, cardinality }) =>
      cardinality
        ? `${lib.formatHuman(report, colour)}\n${lib.formatCardinalityTable(cardinality)}`
        : lib.formatHuman(report, colour),
    github: (report) => lib.formatGitHub(report),
    json: (report, { cardinality }) => lib.formatJSON(report, cardinality),
    sarif: (report) => lib.formatSARIF(report, lib.allChecks),
  } satisfies Formatters<LintReport, LintReportOptions>;
}

/**
 * The project's model from its TypeScript definitions, through the build's loaders (no check reads a
 * test), and its rules parsed ahead: on the other core, while the dashboards compile.
 */
async function projectModelOf(root: string, log: (line: string) => void, features: readonly string[]) {
  const [{ loadDefinitions, projectModel }, { parseRulesAhead, parserOptions }] = await Promise.all([
    import('@o11y/build'),
    import('@o11y/lint'),
  ]);
  // The options lint will parse with; none when o11y.config.ts names an unknown feature (lint reports it).
  let parser: ParserOptions | undefined;
  try {
    parser = parserOptions(features);
  } catch {
    parser = undefined;
  }
  const definitions = await loadDefinitions(root, { tests: false });
  let rulesParsedAhead: RulesParsedAhead | undefined;
  const model = await projectModel({ root, definitions, profile: 'default', log }, (part) => {
    if (parser && !rulesParsedAhead && part.ruleGroups?.length)
      rulesParsedAhead = parseRulesAhead(part.ruleGroups, parser);
  });
  return { model, rulesParsedAhead };
}

export const command: Command = {
  name: 'lint',
  summary: 'check PromQL, rules and dashboards, and estimate label cardinality against budgets',
  help: `Usage: o11y lint [files…] [--format human|github|json|sarif] [--fail-on error|warning]
                 [--cardinality] [--prometheus-url <url>] [--lookback <duration>]
                 [--catalog] [--enable-feature <names>] [--config <file>] [--output <file>]

Without files, lints the project: the rules and dashboards defined under rules/ and dashboards/
(findings point at the TypeScript line that defined them). With files, lints plain Prometheus rule
files (also Mimir namespaces), Grafana dashboards (JSON, API exports, legacy rows, dashboard.grafana.app
v1 and v2 resources), alertmanager.yml, and Kubernetes manifests holding them (PrometheusRule,
ConfigMaps, List, multi-document YAML), or folders of them, at their file:line; other manifests in a
folder are skipped. Checks, severities, options, suppressions (each with a reason) and cardinality
budgets come from o11y.config.ts; docs/checks/ describes every check.

Plain files are not checked against the project's metric catalogue unless --catalog is given, or
they are the project's own build (under dist/): files written elsewhere use metrics the catalogue
does not declare, and every one would be reported as unknown.

Options:
  --format <f>            human (default), github (Actions annotations), json, sarif (code scanning);
                          the default can be set with formats: { lint: … } in o11y.config.ts
  --fail-on <severity>    exit 1 on findings of this severity or worse: error (default) or warning
  --cardinality           also print the estimated series of the most expensive rules and queries
  --prometheus-url <url>  live mode: compare selectors and estimates with this Prometheus
                          (bearer token from O11Y_PROMETHEUS_TOKEN if it needs one)
  --lookback <duration>   window of the live series lookups (default 1h)
  --catalog               check plain files against the catalogue of o11y.config.ts too
  --enable-feature <names> PromQL features the Prometheus running the rules enables, comma-separated
                          (promql-experimental-functions, promql-extended-range-selectors,
                          promql-binop-fill-modifiers); added to enableFeatures of o11y.config.ts
  --config <file>         configuration module (default o11y.config.ts)
  --output <file>         write the report to a file (atomically) instead of stdout

Exit codes: 0 clean, 1 findings at or above --fail-on (or a definition or configuration error,
named with its line), 2 usage or internal error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        cardinality: { type: 'boolean' },
        'prometheus-url': { type: 'string' },
        lookback: { type: 'string', default: '1h' },
        config: { type: 'string' },
        output: { type: 'string' },
        catalog: { type: 'boolean' },
        'enable-feature': { type: 'string', multiple: true },
      },
      true,
    );
    // Before chooseFormat, which registers the TypeScript loader; the build's loaders only for the project.
    const [lib] = await Promise.all([
      import('@o11y/lint'),
      positionals.length === 0 && import('@o11y/build'),
    ]);
    const {
      estimateCardinality,
      formatCardinalityTable,
      lint,
      lintInParts,
      loadConfig,
      loadFiles,
      parserOptions,
    } = lib;
    const formats = formatsOf(lib);
    const format = await chooseFormat(formats, values.format, 'lint', io.root);
    const failOn = failOnOption(values['fail-on']);
    let lookbackMs: number;
    try {
      lookbackMs = parseDuration(values.lookback);
    } catch {
      throw new UsageError(`--lookback "${values.lookback}" is not a duration like 1h or 30m`);
    }

    const log = (line: string) => io.stderr(`${line}\n`);
    const cwd = process.cwd();
    const files = positionals.map((p) => path.resolve(cwd, p));
    const build = path.join(io.root, 'dist');
    const ownBuild = files.length > 0 && files.every((file) => !path.relative(build, file).startsWith('..'));
    // Plain files are read (natively, on the other core) while the configuration loads.
    const reading = files.length > 0 ? loadFiles(files, io.root) : undefined;
    reading?.catch(() => undefined);
    const projectConfig = await loadConfig(io.root, values.config);
    const features = (values['enable-feature'] ?? []).flatMap((list) => list.split(',')).filter(Boolean);
    try {
      parserOptions(features);
    } catch (error) {
      throw new UsageError(`--enable-feature: ${toDiagnostics(error)[0]?.message}`);
    }
    const config = {
      ...projectConfig,
      ...(files.length > 0 && !ownBuild && !values.catalog && { catalog: undefined }),
      enableFeatures: [...(projectConfig.enableFeatures ?? []), ...features],
    };
    const loaded = reading
      ? await reading
      : {
          // Only the project needs the build's loaders (and the importers they bring); plain files do not.
          ...(await projectModelOf(io.root, log, config.enableFeatures)),
          origins: new Map(),
          sources: undefined,
          problems: [],
        };
    const token = process.env.O11Y_PROMETHEUS_TOKEN;
    const options: LintOptions = {
      config,
      origins: loaded.origins,
      ...(loaded.sources && { sources: loaded.sources }),
      // Suppressions name the whole project: a part of the build cannot tell which of them are stale.
      reportUnusedSuppressions: files.length === 0 || files.some((file) => path.relative(build, file) === ''),
      ...('rulesParsedAhead' in loaded && { rulesParsedAhead: loaded.rulesParsedAhead }),
      ...(values['prometheus-url'] && {
        prometheus: {
          client: new lib.PrometheusClient(values['prometheus-url'], token ? { token } : {}),
          lookbackMs,
        },
      }),
    };
    // In parts (the same findings; only a part's queries analysed at a time, the next parsed meanwhile),
    // unless the cardinality table or live mode needs the whole project's analysis.
    const whole = values.cardinality || options.prometheus ? await lint(loaded.model, options) : undefined;
    const result = whole ?? (await lintInParts(loaded.model, options));
    const fileProblems: LintFinding[] = loaded.problems.map((p) => ({
      ...p,
      id: p.id ?? 'lint/file',
      subject: p.source?.file ?? 'input',
    }));
    const report = { ...result, findings: [...fileProblems, ...result.findings] };
    const cardinality = values.cardinality && whole ? estimateCardinality(whole.project) : undefined;

    const text = formats[format](report, { colour: io.colour && !values.output, cardinality });
    if (cardinality && (format === 'github' || format === 'sarif'))
      io.stderr(formatCardinalityTable(cardinality));
    if (values.output) await writeFileAtomic(path.resolve(cwd, values.output), text);
    else io.stdout(text);
    return report.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? EXIT.findings : EXIT.ok;
  },
};
