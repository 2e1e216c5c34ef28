import { raw } from '@o11y/catalog';
import { type Diagnostic, O11yError, O11yErrors, type SourceLocation } from '@o11y/core';
import { type RatioOptions, ratio } from '../slo/sli.ts';
import { makeSlo, type Slo } from '../slo/slo.ts';
import { decimal } from '../slo/windows.ts';
import { fillWindow, hasWindow, readSpec } from './load.ts';
import {
  type OpenSloMetricSource,
  type OpenSloSliSpec,
  type OpenSloSlo,
  openSloDocumentSchema,
  openSloSliSpecSchema,
  openSloSloSchema,
} from './schemas.ts';
import { type ImportOptions, testInputOf } from './sloth.ts';
import { parseYamlFile, specValidator, validate, type YamlDocument } from './yaml-source.ts';

const validateDocument = specValidator(openSloDocumentSchema);
const validateSli = specValidator(openSloSliSpecSchema);
const validateSlo = specValidator(openSloSloSchema);
const HINT = 'see the OpenSLO v1 specification (apiVersion openslo/v1, kinds SLO and SLI)';
const SCHEMA_ID = 'import/openslo-schema';

/** A document of the file that passed the OpenSLO envelope schema. */
interface OpenSloEntry {
  readonly doc: YamlDocument;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, unknown>>;
}

/** An SLI's spec and where its fields are in the file, for errors. */
interface Indicator {
  readonly spec: OpenSloSliSpec;
  readonly at: (...path: (string | number)[]) => SourceLocation;
}

/** Throws the problem of one SLO at its place in the file. */
type Fail = (message: string, source: SourceLocation, hint?: string) => never;

/**
 * OpenSLO v1 SLOs (with inline or referenced SLIs in the same file) as SLO definitions: Occurrences
 * budgeting over a rolling window, one objective, a Prometheus ratioMetric of counters. Counter queries
 * are selectors, rated over each window; a query with Sloth's `{{.window}}` placeholder is used as written.
 * Every problem of the file is reported at once.
 */
export function parseOpenSlo(text: string, file: string, options: ImportOptions = {}): Slo[] {
  const problems: Diagnostic[] = [];
  const collect = <T>(fn: () => T): T[] => {
    try {
      return [fn()];
    } catch (error) {
      if (error instanceof O11yErrors) problems.push(...error.diagnostics);
      else if (error instanceof O11yError) problems.push(error.toDiagnostic());
      else throw error;
      return [];
    }
  };
  const entries = parseYamlFile(text, file).flatMap((doc) => collect(() => entryOf(doc)));
  const slis = new Map(
    entries.filter((e) => e.kind === 'SLI').flatMap((e) => collect(() => [e.name, sliOf(e.doc)] as const)),
  );
  const slos = entries.filter((e) => e.kind === 'SLO').flatMap((e) => collect(() => sloOf(e, slis, options)));
  if (problems.length > 0) throw new O11yErrors(problems);
  return slos;
}

function entryOf(doc: YamlDocument): OpenSloEntry {
  const d = validate(validateDocument(), doc, { id: SCHEMA_ID, hint: HINT });
  return { doc, kind: d.kind, name: d.metadata.name, labels: d.metadata.labels ?? {} };
}

function sliOf(doc: YamlDocument): Indicator {
  const spec = validate(validateSli(), doc, { id: SCHEMA_ID, hint: HINT, prefix: ['spec'] });
  return { spec, at: (...p) => doc.at(['spec', ...p]) };
}

/** Validation → the model of one SLO (objective, period, indicator, team) → the SLO definition. */
function sloOf(entry: OpenSloEntry, slis: ReadonlyMap<string, Indicator>, options: ImportOptions): Slo {
  const { doc, name, labels } = entry;
  const spec = validate(validateSlo(), doc, { id: SCHEMA_ID, hint: HINT, prefix: ['spec'] });
  const at = (...path: (string | number)[]) => doc.at(['spec', ...path]);
  const fail: Fail = (message, source, hint) => {
    throw new O11yError(`SLO ${name}: ${message}`, { source, id: 'import/openslo', ...(hint && { hint }) });
  };
  const { objective, period } = objectiveOf(spec, at, fail);
  const indicator = indicatorOf(spec, slis, at, fail);
  const team = options.team ?? labelValue(labels.team) ?? labelValue(labels.owner);
  if (!team)
    fail(
      'no owning team',
      doc.at(['metadata']),
      'add a `team` label to metadata, or pass team to the import',
    );
  return makeSlo(
    {
      service: { name: spec.service, team },
      name,
      ...(spec.description !== undefined && { description: spec.description }),
      objective,
      period: period as '30d',
      sli: ratio(eventsOf(indicator, fail)),
      ...testInputOf(options, name),
    },
    doc.at([]),
  );
}

/** The one objective over a rolling window, as budgeted by occurrences: what our SLOs compute. */
function objectiveOf(spec: OpenSloSlo, at: (...path: (string | number)[]) => SourceLocation, fail: Fail) {
  if (spec.budgetingMethod !== 'Occurrences') {
    fail(
      `budgeting method ${spec.budgetingMethod} is not supported`,
      at('budgetingMethod'),
      'use Occurrences: good events over all events',
    );
  }
  const window = spec.timeWindow[0]!;
  if (window.isRolling === false || window.calendar) {
    fail(
      'calendar-aligned time windows are not supported',
      at('timeWindow', 0),
      'use a rolling window (isRolling: true)',
    );
  }
  if (!/^\d+[mhdw]$/.test(window.duration)) {
    fail(
      `time window ${window.duration} is not a fixed duration`,
      at('timeWindow', 0, 'duration'),
      'use minutes, hours, days or weeks, e.g. 28d',
    );
  }
  if (spec.objectives.length !== 1) fail('exactly one objective is supported', at('objectives'));
  const objective = spec.objectives[0]!;
  const target =
    objective.target ??
    (objective.targetPercent !== undefined ? decimal(objective.targetPercent / 100) : undefined);
  if (target === undefined)
    fail('the objective has no target', at('objectives', 0), 'set target, e.g. 0.999');
  return { objective: target, period: window.duration };
}

/** The SLI inline in the SLO, or the SLI of this file its `indicatorRef` names. */
function indicatorOf(
  spec: OpenSloSlo,
  slis: ReadonlyMap<string, Indicator>,
  at: (...path: (string | number)[]) => SourceLocation,
  fail: Fail,
): Indicator {
  if (spec.indicator) return { spec: spec.indicator.spec, at: (...p) => at('indicator', 'spec', ...p) };
  const referenced = spec.indicatorRef === undefined ? undefined : slis.get(spec.indicatorRef);
  if (referenced) return referenced;
  return fail(
    `indicator ${spec.indicatorRef ?? '(none)'} is not defined in this file`,
    at(spec.indicatorRef ? 'indicatorRef' : ''),
  );
}

/** Error and total events of a ratioMetric of counters: bad over total, or total minus good. */
function eventsOf(indicator: Indicator, fail: Fail): RatioOptions {
  const metric = indicator.spec.ratioMetric;
  if (!metric) {
    return fail(
      'only ratioMetric indicators can be imported',
      indicator.at(),
      'express the SLI as good or bad events over total events',
    );
  }
  if (!metric.counter)
    fail('ratioMetric must count events (counter: true)', indicator.at('ratioMetric', 'counter'));
  const query = (holder: OpenSloMetricSource, key: string): string => {
    const { type, spec: source } = holder.metricSource;
    if (type.toLowerCase() !== 'prometheus' || !source.query) {
      fail(
        `the ${key} metric source must be a Prometheus query`,
        indicator.at('ratioMetric', key),
        'set metricSource.type: Prometheus and spec.query',
      );
    }
    return source.query!;
  };
  const rated = (q: string) => (w: string) =>
    raw(hasWindow(q) ? fillWindow(q, w) : `sum(rate(${q}[${w}]))`, { labels: [] });
  const total = rated(query(metric.total, 'total'));
  if (metric.bad) return { errors: rated(query(metric.bad, 'bad')), total };
  if (!metric.good) return fail('ratioMetric needs good or bad', indicator.at('ratioMetric'));
  const good = rated(query(metric.good, 'good'));
  return { errors: (w: string) => raw(`(${total(w)}) - (${good(w)})`, { labels: [] }), total };
}

/** OpenSLO label values are strings or lists of strings. */
function labelValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** `parseOpenSlo` of a file, named relative to the project root. */
export function importOpenSlo(file: string, options: ImportOptions = {}): Slo[] {
  const spec = readSpec(file);
  return parseOpenSlo(spec.text, spec.file, options);
}
