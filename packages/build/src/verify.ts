import type { Diagnostic, ProjectModel, Severity } from '@o11y/core';
import { type LintConfig, LintProject, lint } from '@o11y/lint';

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** The lint severity that fails a build, or `never`: findings are reported and nothing fails on them. */
export type FailOn = Severity | 'never';

export interface LintStage {
  /** Findings at or above the build's `failOn` severity: they fail the build. */
  readonly failures: readonly Diagnostic[];
  /** The other findings, reported with the build's warnings. */
  readonly warnings: readonly Diagnostic[];
  readonly project: LintProject;
}

/**
 * Lint as the build's verify stage: every policy is one check, configured and suppressed in
 * o11y.config.ts, and its findings keep the check's id and the TypeScript line of what they are about.
 */
export async function lintStage(model: ProjectModel, config: LintConfig, failOn: FailOn): Promise<LintStage> {
  const result = await lint(model, { config });
  const failures: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const { subject: _subject, expression: _expression, ...finding } of result.findings)
    (failOn !== 'never' && RANK[finding.severity] >= RANK[failOn] ? failures : warnings).push(finding);
  return { failures, warnings, project: result.project };
}

/** The analysed project without running any check: what the series estimates need when verify is off. */
export async function unverifiedProject(model: ProjectModel, config: LintConfig): Promise<LintProject> {
  return LintProject.analyse(model, config.catalog, config.budgets);
}
