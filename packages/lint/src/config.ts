import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  captureSource,
  importOrganisationModule,
  O11yError,
  O11yErrors,
  type Severity,
  type SourceLocation,
} from '@o11y/core';
import type { ParserOptions } from '@o11y/promql';
import type { Check, OptionSpecs } from './check.ts';
import type { MetricCatalog } from './series.ts';

/** How one check is configured: `'off'`, a severity, or the full form with options. */
export type CheckSetting =
  | 'off'
  | Severity
  | {
      readonly enabled?: boolean;
      readonly severity?: Severity;
      readonly options?: Readonly<Record<string, unknown>>;
    };

/**
 * Silences one check for one rule, group, dashboard or panel. The reason is mandatory: it is what a
 * reviewer reads when the suppression shows up in a pull request.
 */
export type Suppression = {
  readonly check: string;
  readonly reason: string;
} & (
  | { readonly rule: string; readonly group?: string }
  | { readonly group: string; readonly rule?: undefined }
  | { readonly dashboard: string; readonly panel?: string | number }
);

/** Upper bounds on estimated series counts; a check fails the lint when an estimate exceeds one. */
export interface Budgets {
  /** Series one recording rule or alert may produce. */
  readonly rule?: number;
  /** Series one rule group may produce (the sum of its rules). */
  readonly group?: number;
  /** Series one dashboard query may return. */
  readonly query?: number;
  /** Series all recording rules together add to the TSDB. */
  readonly recordedTotal?: number;
}

export interface LintConfig {
  /** The metric catalogue the checks know metrics, labels and jobs from. */
  readonly catalog?: MetricCatalog;
  readonly checks?: Readonly<Record<string, CheckSetting>>;
  readonly suppressions?: readonly Suppression[];
  readonly budgets?: Budgets;
  /** The output format of each verb when `--format` is not given, e.g. `{ lint: 'github' }`. */
  readonly formats?: Readonly<Record<string, string>>;
  /**
   * The PromQL features of `prometheus --enable-feature` (and `promtool --enable-feature`) the
   * Prometheus that runs the rules enables, e.g. `['promql-experimental-functions']`: expressions
   * using them are then valid. `o11y lint --enable-feature` adds to these.
   */
  readonly enableFeatures?: readonly string[];
}

/** Prometheus's feature flags that change what the PromQL parser accepts, and the parser option each sets. */
const PARSER_FEATURES: Readonly<Record<string, keyof ParserOptions | undefined>> = {
  'promql-experimental-functions': 'experimentalFunctions',
  'promql-extended-range-selectors': 'extendedRangeSelectors',
  'promql-binop-fill-modifiers': 'binopFillModifiers',
  // Always on in the pinned Prometheus; accepted so that a server's flag list can be copied as is.
  'promql-duration-expr': undefined,
  // Changes evaluation only (when __name__ is dropped), not what parses.
  'promql-delayed-name-removal': undefined,
};

/**
 * The parser options for a list of Prometheus feature flags. An unknown name is an error naming the
 * configuration line (or the command line), since a typo would silently keep a feature off.
 */
export function parserOptions(features: readonly string[], source?: SourceLocation): ParserOptions {
  const options: { -readonly [K in keyof ParserOptions]: boolean } = {};
  const unknown = features.filter((feature) => !(feature in PARSER_FEATURES));
  if (unknown.length > 0) {
    throw new O11yErrors(
      unknown.map((feature) => ({
        severity: 'error' as const,
        message: `unknown PromQL feature "${feature}"`,
        ...(source && { source }),
        id: 'lint/config',
        hint: `the features Prometheus's parser knows: ${Object.keys(PARSER_FEATURES).join(', ')}`,
      })),
    );
  }
  for (const feature of features) {
    const option = PARSER_FEATURES[feature];
    if (option) options[option] = true;
  }
  return options;
}

/** The configuration as written, with the line that wrote it (findings about the configuration point there). */
export interface DefinedConfig extends LintConfig {
  readonly source?: SourceLocation;
}

/**
 * Declares the lint configuration in `o11y.config.ts`. It checks what can be checked without the
 * list of checks (reasons, scopes, budgets); check ids and options are checked by `resolveConfig`.
 */
export function defineConfig(config: LintConfig): DefinedConfig {
  const source = captureSource();
  const problems: string[] = [];
  for (const [index, suppression] of (config.suppressions ?? []).entries()) {
    const label = `suppressions[${index}] (${suppression.check})`;
    if (typeof suppression.reason !== 'string' || suppression.reason.trim() === '')
      problems.push(`${label} has no reason`);
    const scope = suppression as { rule?: unknown; group?: unknown; dashboard?: unknown; panel?: unknown };
    const scoped = [scope.rule, scope.group, scope.dashboard].some((v) => typeof v === 'string' && v !== '');
    if (!scoped) problems.push(`${label} names no rule, group or dashboard`);
    if (scope.panel !== undefined && scope.dashboard === undefined)
      problems.push(`${label} names a panel without its dashboard`);
    if (scope.dashboard !== undefined && (scope.rule !== undefined || scope.group !== undefined))
      problems.push(`${label} mixes a dashboard with a rule or group; write one suppression per scope`);
  }
  for (const [name, value] of Object.entries(config.budgets ?? {})) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      problems.push(`budgets.${name} must be a positive whole number of series, not ${String(value)}`);
  }
  if (problems.length > 0) {
    throw new O11yErrors(
      problems.map((message) => ({
        severity: 'error',
        message,
        source,
        id: 'lint/config',
        hint: 'every suppression needs a check id, one rule, group, dashboard (or dashboard + panel) and a reason',
      })),
    );
  }
  return { ...config, source };
}

/** One check as it will run: enabled, at which severity, with which options. */
export interface ResolvedCheck {
  readonly check: Check;
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

function optionDefaults(specs: OptionSpecs | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs ?? {}).map(([name, spec]) => [name, spec.default]));
}

function sameKind(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b);
  return typeof a === typeof b;
}

/** Applies the configuration to the list of checks; unknown ids, severities and options are errors. */
export function resolveConfig(checks: readonly Check[], config: LintConfig, source?: SourceLocation) {
  const byId = new Map(checks.map((check) => [check.id, check]));
  const problems: string[] = [];
  const settings = config.checks ?? {};
  for (const id of Object.keys(settings)) if (!byId.has(id)) problems.push(`unknown check "${id}"`);
  for (const suppression of config.suppressions ?? [])
    if (!byId.has(suppression.check)) problems.push(`suppression names unknown check "${suppression.check}"`);

  const resolved: ResolvedCheck[] = [];
  for (const check of checks) {
    const setting = settings[check.id];
    const options = optionDefaults(check.options);
    if (setting === 'off') continue;
    if (typeof setting === 'string') {
      if (!SEVERITIES.includes(setting)) problems.push(`${check.id}: unknown severity "${setting}"`);
      resolved.push({ check, severity: setting as Severity, options });
      continue;
    }
    if (setting?.enabled === false) continue;
    if (setting?.severity !== undefined && !SEVERITIES.includes(setting.severity))
      problems.push(`${check.id}: unknown severity "${setting.severity}"`);
    for (const [name, value] of Object.entries(setting?.options ?? {})) {
      if (!(name in options)) problems.push(`${check.id}: unknown option "${name}"`);
      else if (!sameKind(value, options[name]))
        problems.push(`${check.id}: option "${name}" must be like ${JSON.stringify(options[name])}`);
      else options[name] = value;
    }
    resolved.push({ check, severity: setting?.severity ?? check.severity, options });
  }
  if (problems.length > 0) {
    throw new O11yErrors(
      problems.map((message) => ({
        severity: 'error',
        message,
        ...(source && { source }),
        id: 'lint/config',
        hint: 'see docs/checks/ for the check ids, severities and options',
      })),
    );
  }
  return resolved;
}

/**
 * Imports `o11y.config.ts` (or `file`) from the project root and returns its default export; a project
 * without the file gets the defaults. It is imported as the definitions are (importOrganisationModule).
 */
export async function loadConfig(root: string, file = 'o11y.config.ts'): Promise<LintConfig | DefinedConfig> {
  const absolute = path.resolve(root, file);
  if (!existsSync(absolute)) {
    if (file === 'o11y.config.ts') return {};
    throw new O11yError(`configuration file ${file} does not exist`, { id: 'lint/config' });
  }
  const module = (await importOrganisationModule(absolute)) as { default?: unknown };
  const value = module.default;
  if (typeof value !== 'object' || value === null) {
    throw new O11yError(`${file} must \`export default defineConfig({...})\``, {
      id: 'lint/config',
      source: { file, line: 1, column: 1 },
      hint: "import { defineConfig } from '@o11y/lint'",
    });
  }
  return value as LintConfig;
}
