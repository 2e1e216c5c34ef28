import { compareCodePoints, type Diagnostic, type ProjectModel, type SourceLocation } from '@o11y/core';
import type { ParserOptions } from '@o11y/promql';
import { estimateCardinality } from './cardinality.ts';
import { type Check, describeTarget, type Finding, type Span, sourceOf, type Target } from './check.ts';
import { allChecks } from './checks/index.ts';
import {
  type DefinedConfig,
  type LintConfig,
  parserOptions,
  resolveConfig,
  type Suppression,
} from './config.ts';
import { fetchLiveData } from './live/data.ts';
import type { PrometheusClient } from './live/prometheus.ts';
import type { ExpressionOrigin } from './load/document.ts';
import type { PlainSources } from './load/files.ts';
import { LintProject, type RulesParsedAhead } from './project.ts';

/** A finding as reported: the check's id and configured severity, where it is, and what it is about. */
export interface LintFinding extends Diagnostic {
  readonly id: string;
  /** `alert HighErrorRate`, `panel "Latency" of dashboard api`… */
  readonly subject: string;
  /** The expression and the offending part of it, for the caret under it. */
  readonly expression?: { readonly text: string; readonly span: Span };
}

/** What lint reports: the findings, and how many suppressions silenced. */
export interface LintReport {
  readonly findings: readonly LintFinding[];
  /** How many findings suppressions silenced. */
  readonly suppressed: number;
}

export interface LintResult extends LintReport {
  readonly project: LintProject;
}

export interface LintOptions {
  readonly config?: LintConfig | DefinedConfig;
  /** The checks to run (all of them by default); configuration still applies. */
  readonly checks?: readonly Check[];
  /** Plain files: where each expression's characters are, so findings point at the exact file:line:column. */
  readonly origins?: ReadonlyMap<object, ExpressionOrigin>;
  /** Plain rule files and Alertmanager configurations as written, for the checks of the files themselves. */
  readonly sources?: PlainSources;
  /** Live mode: compare the selectors and estimates with this Prometheus, over the last `lookbackMs`. */
  readonly prometheus?: { readonly client: PrometheusClient; readonly lookbackMs: number };
  /**
   * Report suppressions that silence nothing (default true). Off for files written outside the project: the
   * suppressions name the project's rules and dashboards, which are not being linted.
   */
  readonly reportUnusedSuppressions?: boolean;
  /** The rules' expressions, already being parsed (`parseRulesAhead`); used when they are the model's first. */
  readonly rulesParsedAhead?: RulesParsedAhead;
}

function suppressionMatches(suppression: Suppression, target: Target): boolean {
  const scope = suppression as { rule?: string; group?: string; dashboard?: string; panel?: string | number };
  if (scope.dashboard !== undefined) {
    if (target.kind !== 'dashboard' && target.kind !== 'panel' && target.kind !== 'query') return false;
    if (target.dashboard.uid !== scope.dashboard) return false;
    if (scope.panel === undefined) return true;
    return (
      target.kind !== 'dashboard' && (target.panel.title === scope.panel || target.panel.id === scope.panel)
    );
  }
  if (target.kind !== 'group' && target.kind !== 'rule') return false;
  if (scope.group !== undefined && target.group.name !== scope.group) return false;
  if (scope.rule === undefined) return true;
  return target.kind === 'rule' && target.rule.name === scope.rule;
}

function expressionOf(target: Target): object | undefined {
  if (target.kind === 'rule') return target.rule;
  if (target.kind === 'query') return target.query;
  return undefined;
}

function compareFindings(a: LintFinding, b: LintFinding): number {
  return (
    compareCodePoints(a.source?.file ?? '', b.source?.file ?? '') ||
    (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
    (a.source?.column ?? 0) - (b.source?.column ?? 0) ||
    compareCodePoints(a.id, b.id) ||
    compareCodePoints(a.message, b.message)
  );
}

/** The findings of one lint run, added part by part: what every part shares (configuration, suppressions). */
class Findings {
  private readonly resolved: ReturnType<typeof resolveConfig>;
  readonly parser: ParserOptions;
  readonly sources: PlainSources;
  private readonly preparing: Promise<unknown>;
  private readonly findings: LintFinding[] = [];
  private readonly suppressions: readonly Suppression[];
  private readonly used = new Set<Suppression>();
  /** Checks that threw: reported once, whatever the number of parts they threw on. */
  private readonly failed = new Set<string>();
  private suppressed = 0;

  constructor(private readonly options: LintOptions) {
    const config = options.config ?? {};
    this.resolved = resolveConfig(options.checks ?? allChecks, config, this.configSource);
    this.parser = parserOptions(config.enableFeatures ?? [], this.configSource);
    this.sources = options.sources ?? { ruleFiles: [], alertmanagers: [] };
    this.suppressions = config.suppressions ?? [];
    const { sources, parser } = this;
    this.preparing = Promise.all(this.resolved.map(({ check }) => check.prepare?.({ sources, parser })));
    // Awaited when checks run; until then a failure must not count as unhandled if the analysis throws first.
    this.preparing.catch(() => undefined);
  }

  get config(): LintConfig | DefinedConfig {
    return this.options.config ?? {};
  }

  private get configSource(): SourceLocation | undefined {
    return (this.config as DefinedConfig).source;
  }

  /**
   * Runs every check on `project`. What a check prepares (upstream's rule file validation, in another
   * process) may still be under way: the others run first. Findings are sorted at the end, so the order
   * of checks does not show. A check that prepares reads the files as written: it runs only on the
   * project (or part) that has them.
   */
  async check(project: LintProject): Promise<void> {
    for (const entry of this.resolved) if (!entry.check.prepare) this.run(entry, project);
    if (project.sources !== this.sources) return;
    await this.preparing;
    for (const entry of this.resolved) if (entry.check.prepare) this.run(entry, project);
  }

  private run({ check, severity, options: values }: (typeof this.resolved)[number], project: LintProject) {
    try {
      for (const finding of check.run({ project, options: values as never }))
        this.report(check, severity, finding);
    } catch (error) {
      if (this.failed.has(check.id)) return;
      this.failed.add(check.id);
      this.findings.push({
        id: 'lint/internal',
        severity: 'error',
        subject: check.id,
        message: `check ${check.id} failed: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'this is a bug in the check; disable it in o11y.config.ts until it is fixed',
      });
    }
  }

  private report(check: Check, severity: Diagnostic['severity'], finding: Finding) {
    const suppression = this.suppressions.find(
      (s) => s.check === check.id && suppressionMatches(s, finding.target),
    );
    if (suppression) {
      this.used.add(suppression);
      this.suppressed += 1;
      return;
    }
    const owner = expressionOf(finding.target);
    const origin = owner && finding.span ? this.options.origins?.get(owner) : undefined;
    // A project-wide finding (a total over its budget) is about the configuration that sets the limit.
    const source: SourceLocation | undefined = origin
      ? origin(finding.span!.start)
      : (sourceOf(finding.target) ?? (finding.target.kind === 'project' ? this.configSource : undefined));
    const text = owner && (owner as { expr?: string }).expr;
    this.findings.push({
      id: check.id,
      severity,
      message: finding.message,
      subject: describeTarget(finding.target),
      ...(source && { source }),
      ...(finding.hint && { hint: finding.hint }),
      ...(finding.span &&
        text !== undefined && {
          expression: { text, span: { start: finding.span.start, end: finding.span.end } },
        }),
    });
  }

  /** Every finding, sorted, with the suppressions that silenced nothing. */
  result(): LintReport {
    const { configSource } = this;
    for (const suppression of this.options.reportUnusedSuppressions === false ? [] : this.suppressions) {
      if (this.used.has(suppression) || !this.resolved.some((r) => r.check.id === suppression.check))
        continue;
      this.findings.push({
        id: 'lint/unused-suppression',
        severity: 'warning',
        subject: 'configuration',
        message: `suppression of ${suppression.check} (${JSON.stringify(suppression.reason)}) silences nothing`,
        hint: 'remove it from o11y.config.ts, or fix its rule/group/dashboard/panel name',
        ...(configSource && { source: configSource }),
      });
    }
    return { findings: this.findings.sort(compareFindings), suppressed: this.suppressed };
  }
}

/**
 * Runs the configured checks on a project model. A check that throws is reported as an internal
 * finding instead of aborting the run; suppressions that silence nothing are reported too, so stale
 * ones get removed.
 */
export async function lint(model: ProjectModel, options: LintOptions = {}): Promise<LintResult> {
  const findings = new Findings(options);
  const { config, sources, parser } = findings;
  const project = await LintProject.analyse(
    model,
    config.catalog,
    config.budgets,
    sources,
    parser,
    undefined,
    options.rulesParsedAhead,
  );
  if (options.prometheus) {
    const { client, lookbackMs } = options.prometheus;
    project.live = await fetchLiveData(client, estimateCardinality(project), lookbackMs);
  }
  await findings.check(project);
  return { ...findings.result(), project };
}

/**
 * `lint` with the project analysed in parts (`LintProject.inParts`, `dashboardsPerPart` dashboards a part,
 * DASHBOARDS_PER_PART by default): the same findings, with only the rules and a part's queries analysed at
 * a time, and each next part parsed on the other core while this one is checked. `analysed` sees each
 * part once its checks have run, before it is dropped. No live mode: its estimates are of the whole project.
 */
export async function lintInParts(
  model: ProjectModel,
  options: Omit<LintOptions, 'prometheus'> & {
    readonly dashboardsPerPart?: number;
    readonly analysed?: (project: LintProject) => void;
  },
): Promise<LintReport> {
  const findings = new Findings(options);
  const { config, sources, parser } = findings;
  const parts = LintProject.inParts(
    model,
    config.catalog,
    config.budgets,
    sources,
    parser,
    options.dashboardsPerPart,
    options.rulesParsedAhead,
  );
  for await (const project of parts) {
    await findings.check(project);
    options.analysed?.(project);
  }
  return findings.result();
}
