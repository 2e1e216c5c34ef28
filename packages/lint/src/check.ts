import type {
  DashboardModel,
  PanelModel,
  QueryModel,
  RuleGroupModel,
  RuleModel,
  Severity,
  SourceLocation,
} from '@o11y/core';
import type { ParserOptions, Span } from '@o11y/promql';
import type { PlainSources } from './load/files.ts';
import type { LintProject } from './project.ts';

/**
 * What a finding is about. It gives the finding its source line (the TypeScript line that defined the
 * rule, panel or query, or the file:line of a plain file) and the scope suppressions match on.
 */
export type Target =
  | { readonly kind: 'group'; readonly group: RuleGroupModel }
  | { readonly kind: 'rule'; readonly group: RuleGroupModel; readonly rule: RuleModel }
  | { readonly kind: 'dashboard'; readonly dashboard: DashboardModel }
  | { readonly kind: 'panel'; readonly dashboard: DashboardModel; readonly panel: PanelModel }
  | {
      readonly kind: 'query';
      readonly dashboard: DashboardModel;
      readonly panel: PanelModel;
      readonly query: QueryModel;
    }
  /** A plain file as written (a rule file's format, an Alertmanager configuration), at a position in it. */
  | {
      readonly kind: 'file';
      readonly file: string;
      readonly source: SourceLocation;
      readonly subject?: string;
    }
  /** The whole project, e.g. the total number of series recording rules add. */
  | { readonly kind: 'project' };

/** A range of UTF-16 code units in the target's PromQL expression, for the caret in reports. */
export type { Span } from '@o11y/promql';

/** What a check's `run` returns: the check id and severity are added by the runner. */
export interface Finding {
  readonly target: Target;
  readonly message: string;
  /** Where in the target's expression the problem is (absent for findings about metadata). */
  readonly span?: Span;
  readonly hint?: string;
}

/** An option a check accepts in `o11y.config.ts`; its default also fixes its type. */
export interface CheckOption<T> {
  readonly default: T;
  readonly doc: string;
}

export type OptionValues<O> = { readonly [K in keyof O]: O[K] extends CheckOption<infer T> ? T : never };

export type OptionSpecs = { readonly [name: string]: CheckOption<unknown> };

/** What a check's `prepare` may read: the files as written, and the PromQL features. */
export interface PrepareInput {
  readonly sources: PlainSources;
  readonly parser: ParserOptions;
}

export interface CheckContext<O extends OptionSpecs> {
  readonly project: LintProject;
  readonly options: OptionValues<O>;
}

/**
 * One lint check. Like cloudflare/pint's checks, it is one small object in its own file:
 * an id (`area/name`), a default severity, a one-paragraph doc (rendered into docs/checks/), the
 * options it accepts, and `run`, which reads the analysed project and returns findings.
 */
export interface Check<O extends OptionSpecs = OptionSpecs> {
  readonly id: string;
  readonly severity: Severity;
  readonly doc: string;
  readonly options?: O;
  /**
   * Starts what `run` needs that takes a while (another program's verdicts on the files), only when the
   * check is enabled. It runs alongside the project's analysis, on the other core, and is awaited before
   * any check runs.
   */
  prepare?(input: PrepareInput): Promise<void>;
  run(context: CheckContext<O>): Iterable<Finding>;
}

/** Identity helper that keeps the option types of a check while typing it as a `Check`. */
export function defineCheck<O extends OptionSpecs = Record<never, never>>(check: Check<O>): Check<O> {
  return check;
}

/** Where a target was defined. */
export function sourceOf(target: Target): SourceLocation | undefined {
  switch (target.kind) {
    case 'group':
      return target.group.source;
    case 'rule':
      return target.rule.source;
    case 'dashboard':
      return target.dashboard.source;
    case 'panel':
      return target.panel.source;
    case 'query':
      return target.query.source;
    case 'file':
      return target.source;
    case 'project':
      return undefined;
  }
}

/** A short human name for a target, e.g. `alert HighErrorRate (group api)`, `panel "Latency" of dashboard api`. */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'group':
      return `group ${target.group.name}`;
    case 'rule':
      // With its group: a helper makes the rules of each service at one line, under one name.
      return `${target.rule.kind === 'alert' ? 'alert' : 'recording rule'} ${target.rule.name} (group ${target.group.name})`;
    case 'dashboard':
      return `dashboard ${target.dashboard.uid}`;
    case 'panel':
      return `panel "${target.panel.title}" of dashboard ${target.dashboard.uid}`;
    case 'query':
      return `query ${target.query.refId} of panel "${target.panel.title}" (dashboard ${target.dashboard.uid})`;
    case 'file':
      return target.subject ?? target.file;
    case 'project':
      return 'the project';
  }
}
