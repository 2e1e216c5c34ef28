import { compareCodePoints, type Diagnostic, type ProjectModel, type SourceLocation } from '@o11y/core';
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
import { LintProject } from './project.ts';

/** A finding as reported: the check's id and configured severity, where it is, and what it is about. */
export interface LintFinding extends Diagnostic {
  readonly id: string;
  /** `alert HighErrorRate`, `panel "Latency" of dashboard api`… */
  readonly subject: string;
  /** The expression and the offending part of it, for the caret under it. */
  readonly expression?: { readonly text: string; readonly span: Span };
}

export interface LintResult {
  readonly findings: readonly LintFinding[];
  /** How many findings suppressions silenced. */
  readonly suppressed: number;
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

/**
 * Runs the configured checks on a project model. A check that throws is reported as an internal
 * finding instead of aborting the run; suppressions that silence nothing are reported too, so stale
 * ones get removed.
 */
export async function lint(model: ProjectModel, options: LintOptions = {}): Promise<LintResult> {
  const config = options.config ?? {};
  const configSource = (config as DefinedConfig).source;
  const resolved = resolveConfig(options.checks ?? allChecks, config, configSource);
  const parser = parserOptions(config.enableFeatures ?? [], configSource);
  const sources = options.sources ?? { ruleFiles: [], alertmanagers: [] };
  const preparing = Promise.all(resolved.map(({ check }) => check.prepare?.({ sources, parser })));
  // Awaited below; until then a failure must not count as unhandled if the analysis throws first.
  preparing.catch(() => undefined);
  const project = await LintProject.analyse(model, config.catalog, config.budgets, sources, parser);
  if (options.prometheus) {
    const { client, lookbackMs } = options.prometheus;
    project.live = await fetchLiveData(client, estimateCardinality(project), lookbackMs);
  }
  const suppressions = config.suppressions ?? [];
  const used = new Set<Suppression>();
  const findings: LintFinding[] = [];
  let suppressed = 0;

  const report = (check: Check, severity: Diagnostic['severity'], finding: Finding) => {
    const suppression = suppressions.find(
      (s) => s.check === check.id && suppressionMatches(s, finding.target),
    );
    if (suppression) {
      used.add(suppression);
      suppressed += 1;
      return;
    }
    const owner = expressionOf(finding.target);
    const origin = owner && finding.span ? options.origins?.get(owner) : undefined;
    // A project-wide finding (a total over its budget) is about the configuration that sets the limit.
    const source: SourceLocation | undefined = origin
      ? origin(finding.span!.start)
      : (sourceOf(finding.target) ?? (finding.target.kind === 'project' ? configSource : undefined));
    const text = owner && (owner as { expr?: string }).expr;
    findings.push({
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
  };

  const run = ({ check, severity, options: values }: (typeof resolved)[number]) => {
    try {
      for (const finding of check.run({ project, options: values as never }))
        report(check, severity, finding);
    } catch (error) {
      findings.push({
        id: 'lint/internal',
        severity: 'error',
        subject: check.id,
        message: `check ${check.id} failed: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'this is a bug in the check; disable it in o11y.config.ts until it is fixed',
      });
    }
  };
  // What a check prepares (upstream's rule file validation, in another process) may still be under
  // way: the others run first. Findings are sorted below, so the order of checks does not show.
  for (const entry of resolved) if (!entry.check.prepare) run(entry);
  await preparing;
  for (const entry of resolved) if (entry.check.prepare) run(entry);
  for (const suppression of options.reportUnusedSuppressions === false ? [] : suppressions) {
    if (used.has(suppression) || !resolved.some((r) => r.check.id === suppression.check)) continue;
    findings.push({
      id: 'lint/unused-suppression',
      severity: 'warning',
      subject: 'configuration',
      message: `suppression of ${suppression.check} (${JSON.stringify(suppression.reason)}) silences nothing`,
      hint: 'remove it from o11y.config.ts, or fix its rule/group/dashboard/panel name',
      ...(configSource && { source: configSource }),
    });
  }
  return { findings: findings.sort(compareFindings), suppressed, project };
}
