import { existsSync } from 'node:fs';
import path from 'node:path';
import { O11yError, O11yErrors } from './errors.ts';
import { importOrganisationModule } from './organisation-module.ts';
import { captureSource, type SourceLocation } from './source.ts';

/** The file every command reads the project's layout (and lint its configuration) from. */
export const CONFIG_FILE = 'o11y.config.ts';

/**
 * Where an organisation keeps its definitions, as `o11y.config.ts` declares it with
 * `export const project = defineProject({ … })`. Paths are relative to the project root.
 */
export interface ProjectLayout {
  /** Folders whose TypeScript modules `o11y build` imports for definitions (recursively, sorted). */
  readonly definitions: readonly string[];
  /**
   * Folders (inside or beside `definitions`) whose modules define only tests, such as promtool's rule
   * tests: `o11y build` and `o11y test` import them, `o11y lint` does not, since no check reads a test.
   * The build fails on anything else a module there exports. None by default.
   */
  readonly tests: readonly string[];
  /** The module that exports the metric catalogue as `catalog`. */
  readonly catalog: string;
  /** Who evaluates the alerting rules of groups that do not choose themselves (default `prometheus`). */
  readonly alerting: AlertEvaluator;
  /** The line of `o11y.config.ts` that declared it; absent for the defaults. */
  readonly source?: SourceLocation;
}

/**
 * Who evaluates an alerting rule: Prometheus (rule files), Grafana (Grafana-managed alert rules on
 * the same PromQL), or both. Recording rules are always Prometheus's.
 */
export type AlertEvaluator = 'prometheus' | 'grafana' | 'both';

export const ALERT_EVALUATORS: readonly AlertEvaluator[] = ['prometheus', 'grafana', 'both'];

/** The layout of a project whose `o11y.config.ts` declares none. */
export const DEFAULT_LAYOUT: ProjectLayout = Object.freeze({
  definitions: Object.freeze(['rules', 'dashboards', 'alertmanager']),
  tests: Object.freeze([]),
  catalog: 'catalog/index.ts',
  alerting: 'prometheus',
});

/** A path inside the project: relative, forward slashes, never leaving the root. */
function problemWith(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'is empty';
  if (path.isAbsolute(value) || value.includes('\\')) return 'must be relative to the project root, with /';
  if (value.split('/').includes('..')) return 'must stay inside the project';
  return undefined;
}

/** Declares the project's layout in `o11y.config.ts`; what is left out keeps its default. */
export function defineProject(spec: Partial<Omit<ProjectLayout, 'source'>>): ProjectLayout {
  const source = captureSource();
  const layout = { ...DEFAULT_LAYOUT, ...spec };
  const problems: string[] = [];
  if (!Array.isArray(layout.definitions) || layout.definitions.length === 0)
    problems.push('definitions must list at least one folder');
  else {
    for (const [index, folder] of layout.definitions.entries()) {
      const problem = problemWith(folder);
      if (problem) problems.push(`definitions[${index}] ${problem}`);
    }
    if (new Set(layout.definitions).size !== layout.definitions.length)
      problems.push('definitions lists a folder twice');
  }
  if (!Array.isArray(layout.tests)) problems.push('tests must list folders');
  else
    for (const [index, folder] of layout.tests.entries()) {
      const problem = problemWith(folder);
      if (problem) problems.push(`tests[${index}] ${problem}`);
      else if (Array.isArray(layout.definitions) && layout.definitions.includes(folder))
        problems.push(`tests[${index}] "${folder}" is a definitions folder: name a folder of tests only`);
    }
  const catalogProblem = problemWith(layout.catalog);
  if (catalogProblem) problems.push(`catalog ${catalogProblem}`);
  if (!ALERT_EVALUATORS.includes(layout.alerting))
    problems.push(`alerting must be one of ${ALERT_EVALUATORS.join(', ')}`);
  if (problems.length > 0) {
    throw new O11yErrors(
      problems.map((message) => ({
        severity: 'error',
        message: `defineProject: ${message}`,
        source,
        id: 'project/layout',
        hint: "e.g. defineProject({ definitions: ['rules', 'dashboards'], catalog: 'catalog/index.ts' })",
      })),
    );
  }
  return Object.freeze({
    definitions: Object.freeze([...layout.definitions]),
    tests: Object.freeze([...layout.tests]),
    catalog: layout.catalog,
    alerting: layout.alerting,
    source,
  });
}

function isLayout(value: unknown): value is ProjectLayout {
  const candidate = value as Partial<ProjectLayout> | undefined;
  return Array.isArray(candidate?.definitions) && typeof candidate?.catalog === 'string';
}

/**
 * The layout `o11y.config.ts` of `root` exports as `project`, or the defaults when the file or the
 * export is absent. It is imported as the definitions are (importOrganisationModule).
 */
export async function loadProjectLayout(root: string): Promise<ProjectLayout> {
  const file = path.join(root, CONFIG_FILE);
  if (!existsSync(file)) return DEFAULT_LAYOUT;
  const module = (await importOrganisationModule(file)) as { project?: unknown };
  if (module.project === undefined) return DEFAULT_LAYOUT;
  if (!isLayout(module.project)) {
    throw new O11yError(`${CONFIG_FILE} exports a "project" that is not a project layout`, {
      id: 'project/layout',
      source: { file: CONFIG_FILE, line: 1, column: 1 },
      hint: "export const project = defineProject({ … }) with defineProject from '@o11y/core'",
    });
  }
  return { ...DEFAULT_LAYOUT, ...module.project };
}
