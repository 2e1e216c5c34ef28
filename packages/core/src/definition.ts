import type { Diagnostic } from './errors.ts';
import type { ProjectModel } from './model.ts';
import type { AlertEvaluator } from './project.ts';
import type { SourceLocation } from './source.ts';

/**
 * Every object a builder creates for the build (a dashboard, a rule group, an SLO, an Alertmanager
 * config) carries this brand with its kind, and remembers where it was written.
 */
export const DEFINITION = Symbol.for('o11y.definition');

export interface Definition {
  readonly [DEFINITION]: string;
  readonly source: SourceLocation;
}

export function isDefinition(value: unknown): value is Definition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Definition>)[DEFINITION] === 'string'
  );
}

export function kindOf(definition: Definition): string {
  return definition[DEFINITION];
}

/** One output file of the build, relative to `dist/`. */
export interface Artifact {
  readonly path: string;
  readonly kind: string;
  readonly content: string;
  /** The TypeScript line that defined what this file holds. */
  readonly source: SourceLocation;
}

/**
 * An artifact once the build has written it: what verify reads of it besides the file. Its text is not
 * kept: a large organisation's artifacts are hundreds of megabytes, and verify reads the files.
 */
export type WrittenArtifact = Omit<Artifact, 'content'>;

/** What an emitter may use while building: all definitions (for cross references) and the build profile. */
export interface BuildContext {
  readonly root: string;
  readonly definitions: readonly Definition[];
  /** `default`, or `test` for shortened intervals in end-to-end runs. */
  readonly profile: string;
  readonly log: (line: string) => void;
  /** Who evaluates alerts of groups that do not choose (`alerting` of o11y.config.ts); default `prometheus`. */
  readonly alerting?: AlertEvaluator;
}

/**
 * A package's contribution to `o11y build`: turns definitions of its kinds into artifacts, then checks
 * them. `Emitted` is what its `emit` gives: a list or a generator, or the promise of a list.
 */
export interface Emitter<
  Emitted extends Iterable<Artifact> | Promise<Iterable<Artifact>> =
    | Iterable<Artifact>
    | Promise<Iterable<Artifact>>,
> {
  readonly name: string;
  readonly kinds: readonly string[];
  /**
   * The kinds of `kinds` that only tests are made of: they feed no model, so lint never needs them,
   * and they are all a module of a project's `tests` folders may export.
   */
  readonly testKinds?: readonly string[];
  /**
   * The artifacts of `definitions`. A generator may yield them one at a time: the build writes each as
   * it comes, so a large organisation's text is never in memory all at once.
   */
  emit(definitions: readonly Definition[], context: BuildContext): Emitted;
  /**
   * Checks on the written files, e.g. `promtool check rules`: `artifacts` are the ones `emit` gave for the
   * same `context`, and `dir` holds every artifact of this build.
   */
  verify?(
    artifacts: readonly WrittenArtifact[],
    dir: string,
    context: BuildContext,
  ): Promise<readonly Diagnostic[]>;
  /** The part of the neutral model its definitions make (rule groups, dashboards, scrape jobs), for lint and diff. */
  model?(
    definitions: readonly Definition[],
    context: BuildContext,
  ): Promise<Partial<ProjectModel>> | Partial<ProjectModel>;
}

/** A package's contribution to `o11y test`: runs its tests against a built dist/ and reports. */
export interface Tester {
  readonly name: string;
  run(distDir: string, context: TestContext): Promise<TestReport>;
}

export interface TestContext {
  readonly root: string;
  readonly log: (line: string) => void;
  /** Only run tests whose name contains this text. */
  readonly filter?: string;
}

export interface TestCaseResult {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed, with the TypeScript line of the test or the thing under test. */
  readonly failure?: Diagnostic;
  readonly seconds?: number;
}

export interface TestReport {
  readonly suite: string;
  readonly cases: readonly TestCaseResult[];
  /** Extra lines for the human report, e.g. rule-test coverage. */
  readonly summary?: readonly string[];
}
