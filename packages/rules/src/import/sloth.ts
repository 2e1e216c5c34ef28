import { raw } from '@o11y/catalog';
import { type Diagnostic, O11yError, O11yErrors, parseDuration, type SourceLocation } from '@o11y/core';
import type { SliTestInput } from '../slo/sli.ts';
import { ratio } from '../slo/sli.ts';
import { makeSlo, type Slo } from '../slo/slo.ts';
import { decimal, defaultWindows } from '../slo/windows.ts';
import { fillWindow, readSpec } from './load.ts';
import { type SlothSpec, slothSchema } from './schemas.ts';
import { parseYamlFile, specValidator, validate } from './yaml-source.ts';

export interface ImportOptions {
  /** Owning team, when the spec's labels name none (`team` or `owner`). */
  readonly team?: string;
  /** Input for the generated tests; raw PromQL cannot synthesise its own. */
  readonly testInput?: (grouping: readonly string[]) => SliTestInput;
  /** Input for the generated tests of each SLO, by SLO name (a multi-SLO spec reads other series per SLO). */
  readonly testInputs?: Readonly<Record<string, (grouping: readonly string[]) => SliTestInput>>;
}

/** The test input of one SLO of a spec: its own, else the spec-wide one. */
export function testInputOf(options: ImportOptions, slo: string) {
  const input = options.testInputs?.[slo] ?? options.testInput;
  return input && { testInput: input };
}

const validateSloth = specValidator(slothSchema);

/**
 * Sloth `prometheus/v1` SLOs as SLO definitions: same objective (percent → ratio), period 30d, the
 * events SLI's `{{.window}}` queries as a ratio SLI, alert name and labels, disabled page/ticket alerts.
 */
export function parseSloth(text: string, file: string, options: ImportOptions = {}): Slo[] {
  const [doc, ...more] = parseYamlFile(text, file);
  if (!doc)
    throw new O11yError(`${file} is empty`, { source: { file, line: 1, column: 1 }, id: 'import/sloth' });
  if (more.length > 0) {
    throw new O11yError(`${file} holds ${more.length + 1} YAML documents; a Sloth spec is one`, {
      source: more[0]!.at([]),
      id: 'import/sloth',
    });
  }
  const spec = validate(validateSloth(), doc, {
    id: 'import/sloth-schema',
    hint: 'see the Sloth prometheus/v1 spec: version, service, labels, slos[{name, objective, sli.events, alerting}]',
  });
  const problems: Diagnostic[] = [];
  const slos: Slo[] = [];
  spec.slos.forEach((entry, index) => {
    const source: SourceLocation = doc.at(['slos', index]);
    try {
      slos.push(toSlo(spec, entry, source, doc.at(['slos', index, 'sli']), options));
    } catch (error) {
      if (error instanceof O11yError) problems.push(error.toDiagnostic());
      else throw error;
    }
  });
  if (problems.length > 0) throw new O11yErrors(problems);
  return slos;
}

/** `parseSloth` of a file, named relative to the project root. */
export function importSloth(file: string, options: ImportOptions = {}): Slo[] {
  const spec = readSpec(file);
  return parseSloth(spec.text, spec.file, options);
}

function toSlo(
  spec: SlothSpec,
  entry: SlothSpec['slos'][number],
  source: SourceLocation,
  sliSource: SourceLocation,
  options: ImportOptions,
): Slo {
  const labels = { ...(spec.labels ?? {}), ...(entry.labels ?? {}) };
  const team = options.team ?? labels.team ?? labels.owner;
  if (!team) {
    throw new O11yError(`SLO ${entry.name} has no owning team`, {
      source,
      id: 'import/team',
      hint: 'add a `team` or `owner` label to the spec, or pass team to the import',
    });
  }
  const events = entry.sli.events;
  if (!events) {
    throw new O11yError(`SLO ${entry.name}: only events SLIs can be imported`, {
      source: sliSource,
      id: 'import/sloth-sli',
      hint: entry.sli.raw
        ? 'a precomputed error ratio cannot be summed over the period without averaging ratios; write it as events (error_query and total_query)'
        : 'Sloth SLI plugins run Sloth code; write the SLI as events (error_query and total_query)',
    });
  }
  const { alerting } = entry;
  const periodMs = parseDuration('30d');
  const windows = defaultWindows(periodMs).filter(
    (w) => !(w.severity === 'page' ? alerting?.page_alert?.disable : alerting?.ticket_alert?.disable),
  );
  const { team: _team, owner: _owner, ...alertLabels } = labels;
  return makeSlo(
    {
      service: { name: spec.service, team },
      name: entry.name,
      ...(entry.description !== undefined && { description: entry.description }),
      objective: decimal(entry.objective / 100),
      period: '30d',
      sli: ratio({
        errors: (w) => raw(fillWindow(events.error_query, w), { labels: [] }),
        total: (w) => raw(fillWindow(events.total_query, w), { labels: [] }),
      }),
      alerting: {
        windows,
        ...(alerting?.name !== undefined && { name: alerting.name }),
        labels: { ...alertLabels, ...(alerting?.labels ?? {}) },
        ...(alerting?.page_alert?.labels && { page: { labels: mapSeverity(alerting.page_alert.labels) } }),
        ...(alerting?.ticket_alert?.labels && {
          ticket: { labels: mapSeverity(alerting.ticket_alert.labels) },
        }),
      },
      ...testInputOf(options, entry.name),
    },
    source,
  );
}

/**
 * Sloth sets the page and ticket alerts' `severity` in their label sections; here the page alert is
 * `critical` and the ticket alert `warning` (with `slo_severity` page/ticket). Sloth's own value (often a
 * routing name such as `pageteam`) is kept as `sloth_severity`, so routes written for it still match.
 */
function mapSeverity(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { severity, ...rest } = labels;
  return severity === undefined ? rest : { ...rest, sloth_severity: severity };
}
