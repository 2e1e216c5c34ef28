import { Worker } from 'node:worker_threads';
import { type Diagnostic, O11yErrors, type ProjectModel, type Severity, typeScriptLoader } from '@o11y/core';
import { type LintConfig, LintProject, lintInParts } from '@o11y/lint';
import { estimatedSeries } from './series.ts';

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** The lint severity that fails a build, or `never`: findings are reported and nothing fails on them. */
export type FailOn = Severity | 'never';

export interface LintStage {
  /** Findings at or above the build's `failOn` severity: they fail the build. */
  readonly failures: readonly Diagnostic[];
  /** The other findings, reported with the build's warnings. */
  readonly warnings: readonly Diagnostic[];
  /** The series estimate of each rule file and dashboard, by artifact path (the manifest's). */
  readonly series: ReadonlyMap<string, number>;
}

/** Adds one part's estimates to `totals`: a rule file or dashboard is in one part only. */
function addEstimates(totals: Map<string, number>, project: LintProject): void {
  for (const [artifact, series] of estimatedSeries(project))
    totals.set(artifact, (totals.get(artifact) ?? 0) + series);
}

/**
 * Lint as the build's verify stage: every policy is one check, configured and suppressed in
 * o11y.config.ts, and its findings keep the check's id and the TypeScript line of what they are about.
 * The project is linted in parts (`lintInParts`, same findings), its estimates added up part by part.
 */
export async function lintStage(model: ProjectModel, config: LintConfig, failOn: FailOn): Promise<LintStage> {
  const series = new Map<string, number>();
  const result = await lintInParts(model, { config, analysed: (project) => addEstimates(series, project) });
  const failures: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const { subject: _subject, expression: _expression, ...finding } of result.findings)
    (failOn !== 'never' && RANK[finding.severity] >= RANK[failOn] ? failures : warnings).push(finding);
  return { failures, warnings, series };
}

/** The series estimates without running any check: what the manifest needs when verify is off. */
export async function unverifiedSeries(
  model: ProjectModel,
  config: LintConfig,
): Promise<Map<string, number>> {
  const series = new Map<string, number>();
  const { catalog, budgets } = config;
  for await (const project of LintProject.inParts(model, catalog, budgets, undefined, {}))
    addEstimates(series, project);
  return series;
}

/** What the build gives the lint worker besides the model. */
export interface LintWorkerData {
  readonly root: string;
  /** Absent for a build without verify: the worker runs no check, it only estimates the series. */
  readonly failOn: FailOn | undefined;
  /** setTypeScriptLoader's module, for o11y.config.ts and its catalogue. */
  readonly loader: string | undefined;
}

/** What the lint worker answers: the stage, or the errors that stopped it (a broken o11y.config.ts). */
export type LintWorkerReply =
  | { readonly stage: Omit<LintStage, 'series'> & { readonly series: [string, number][] } }
  | { readonly errors: readonly Diagnostic[] };

/**
 * Expressions (rules and dashboard queries) from which lint runs in a worker thread while this one
 * emits: below it, the worker's start and its own reading of o11y.config.ts (0.4 s on the sample) cost
 * more than the overlap saves.
 */
export const LINT_WORKER_EXPRESSIONS = 3_000;

/**
 * Whether a build lints `model` (or, without verify, estimates its series) in a worker by default: from
 * LINT_WORKER_EXPRESSIONS on, when the program gave a TypeScript loader, which the worker needs for
 * o11y.config.ts. A host that loads TypeScript itself (vitest, tsx) gives none, and its worker could
 * not read the configuration: it lints here.
 */
export function lintsInWorker(model: ProjectModel): boolean {
  if (typeScriptLoader() === undefined) return false;
  let count = 0;
  for (const group of model.ruleGroups) count += group.rules.length;
  for (const dashboard of model.dashboards)
    for (const panel of dashboard.panels) count += panel.queries.length;
  return count >= LINT_WORKER_EXPRESSIONS;
}

/**
 * Bytes of the lint worker's heap bound per character of the model's JSON. Unbounded, V8 lets a heap grow
 * to up to four times what it held at its last full collection, and the worker's comes early, while it
 * parses the model: at 1,000 services its heap reached 800 MB holding 190–340 MB. Bounded, V8 grows it
 * by less and collects before it is halfway to the bound. The worker's live heap measured 6.3 (1,000
 * services) to 7.5 (200) times the model's JSON: the bound leaves about twice that.
 */
const LINT_WORKER_HEAP_PER_MODEL_CHAR = 12;
/** The least bound: the worker's start and o11y.config.ts's catalogue take a few tens of MiB. */
const LINT_WORKER_MIN_HEAP_MB = 256;

/** The lint worker's heap bound in MiB for a model of `jsonLength` characters of JSON. */
export function lintWorkerHeapMb(jsonLength: number): number {
  return Math.max(
    LINT_WORKER_MIN_HEAP_MB,
    Math.ceil((LINT_WORKER_HEAP_PER_MODEL_CHAR * jsonLength) / 2 ** 20),
  );
}

/** The lint worker reached its heap bound: the build lints in its own thread instead. */
export class LintWorkerOutOfMemory extends Error {
  constructor(readonly heapMb: number) {
    super(`the lint worker reached its heap bound of ${heapMb} MiB`);
  }
}

/**
 * The lint stage on the other core: a worker thread reads o11y.config.ts itself and lints the model,
 * sent as JSON (it is plain data; the builders that made it stay here). Same findings, same order, same
 * estimates as `lintStage` in this thread. Without `failOn` (a build without verify) the worker runs no
 * check and answers `unverifiedSeries`: the analysis behind the estimates is most of lint's time, and
 * this thread has the emitters to run meanwhile. The worker ends its thread once it has answered; this
 * one stops it only when the build fails first.
 */
export function lintInWorker(
  model: ProjectModel,
  root: string,
  failOn: FailOn | undefined,
  signal: AbortSignal,
  /** The worker's heap bound in MiB; `lintWorkerHeapMb` of the model by default. */
  heapMb?: number,
): Promise<LintStage> {
  const data: LintWorkerData = { root, failOn, loader: typeScriptLoader() };
  const json = JSON.stringify(model);
  const bound = heapMb ?? lintWorkerHeapMb(json.length);
  const resourceLimits = { maxOldGenerationSizeMb: bound };
  const worker = import.meta.url.endsWith('.ts')
    ? // Under vitest the build runs from its TypeScript sources: so does the worker, through tsx.
      new Worker(
        `import('tsx/esm/api')
          .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./lint-worker.ts', import.meta.url).href)}); })`,
        { eval: true, workerData: data, execArgv: ['--conditions=o11y-source'], resourceLimits },
      )
    : new Worker(new URL('./lint-worker.js', import.meta.url), { workerData: data, resourceLimits });
  worker.postMessage(json);
  signal.addEventListener('abort', () => void worker.terminate(), { once: true });
  return new Promise<LintStage>((resolve, reject) => {
    worker.once('message', (reply: LintWorkerReply) => {
      if ('errors' in reply) reject(new O11yErrors(reply.errors));
      else resolve({ ...reply.stage, series: new Map(reply.stage.series) });
    });
    worker.once('error', (error: Error & { code?: string }) =>
      reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new LintWorkerOutOfMemory(bound) : error),
    );
    worker.once('exit', (code) => reject(new Error(`the lint worker exited (code ${code}) without a reply`)));
  });
}
