import { raw } from '@o11y/catalog';
import { type Diagnostic, O11yError, O11yErrors, type SourceLocation } from '@o11y/core';
import { Ajv } from 'ajv';
import { ratio } from '../slo/sli.ts';
import { makeSlo, type Slo } from '../slo/slo.ts';
import { decimal } from '../slo/windows.ts';
import { fillWindow, hasWindow, readSpec } from './load.ts';
import {
  type OpenSloMetricSource,
  type OpenSloSliSpec,
  openSloDocumentSchema,
  openSloSliSpecSchema,
  openSloSloSchema,
} from './schemas.ts';
import { type ImportOptions, testInputOf } from './sloth.ts';
import { parseYamlFile, validate, type YamlDocument } from './yaml-source.ts';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateDocument = ajv.compile(openSloDocumentSchema);
const validateSli = ajv.compile(openSloSliSpecSchema);
const validateSlo = ajv.compile(openSloSloSchema);
const HINT = 'see the OpenSLO v1 specification (apiVersion openslo/v1, kinds SLO and SLI)';

/**
 * OpenSLO v1 SLOs (with inline or referenced SLIs in the same file) as SLO definitions: Occurrences
 * budgeting over a rolling window, one objective, a Prometheus ratioMetric of counters. Counter queries
 * are selectors, rated over each window; a query with Sloth's `{{.window}}` placeholder is used as written.
 */
export function parseOpenSlo(text: string, file: string, options: ImportOptions = {}): Slo[] {
  const docs = parseYamlFile(text, file);
  const problems: Diagnostic[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof O11yErrors) problems.push(...error.diagnostics);
      else if (error instanceof O11yError) problems.push(error.toDiagnostic());
      else throw error;
    }
  };
  const valid = docs.flatMap((doc) => {
    let out: Array<{ doc: YamlDocument; kind: string; name: string; labels: Record<string, unknown> }> = [];
    collect(() => {
      const d = validate(validateDocument, doc, { id: 'import/openslo-schema', hint: HINT });
      out = [{ doc, kind: d.kind, name: d.metadata.name, labels: d.metadata.labels ?? {} }];
    });
    return out;
  });
  const slis = new Map<string, { doc: YamlDocument; spec: OpenSloSliSpec }>();
  for (const { doc, kind, name } of valid) {
    if (kind !== 'SLI') continue;
    collect(() =>
      slis.set(name, {
        doc,
        spec: validate(validateSli, doc, { id: 'import/openslo-schema', hint: HINT, prefix: ['spec'] }),
      }),
    );
  }
  const slos: Slo[] = [];
  for (const { doc, kind, name, labels } of valid) {
    if (kind !== 'SLO') continue;
    collect(() => {
      const spec = validate(validateSlo, doc, { id: 'import/openslo-schema', hint: HINT, prefix: ['spec'] });
      const at = (...path: (string | number)[]) => doc.at(['spec', ...path]);
      const fail: (message: string, source: SourceLocation, hint?: string) => never = (
        message,
        source,
        hint,
      ) => {
        throw new O11yError(`SLO ${name}: ${message}`, {
          source,
          id: 'import/openslo',
          ...(hint && { hint }),
        });
      };
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
      const indicator = spec.indicator
        ? { spec: spec.indicator.spec, at: (...p: (string | number)[]) => at('indicator', 'spec', ...p) }
        : spec.indicatorRef !== undefined && slis.has(spec.indicatorRef)
          ? {
              spec: slis.get(spec.indicatorRef)!.spec,
              at: (...p: (string | number)[]) => slis.get(spec.indicatorRef!)!.doc.at(['spec', ...p]),
            }
          : fail(
              `indicator ${spec.indicatorRef ?? '(none)'} is not defined in this file`,
              at(spec.indicatorRef ? 'indicatorRef' : ''),
            );
      const metric = indicator.spec.ratioMetric;
      if (!metric)
        fail(
          'only ratioMetric indicators can be imported',
          indicator.at(),
          'express the SLI as good or bad events over total events',
        );
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
      const errors = metric.bad
        ? rated(query(metric.bad, 'bad'))
        : metric.good
          ? (
              (good) => (w: string) =>
                raw(`(${total(w)}) - (${good(w)})`, { labels: [] })
            )(rated(query(metric.good, 'good')))
          : fail('ratioMetric needs good or bad', indicator.at('ratioMetric'));
      const team = options.team ?? labelValue(labels.team) ?? labelValue(labels.owner);
      if (!team)
        fail(
          'no owning team',
          doc.at(['metadata']),
          'add a `team` label to metadata, or pass team to the import',
        );
      slos.push(
        makeSlo(
          {
            service: { name: spec.service, team: team! },
            name,
            ...(spec.description !== undefined && { description: spec.description }),
            objective: target!,
            period: window.duration as '30d',
            sli: ratio({ errors, total }),
            ...testInputOf(options, name),
          },
          doc.at([]),
        ),
      );
    });
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  return slos;
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
