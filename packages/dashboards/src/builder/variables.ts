import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  QueryVariableBuilder,
  type VariableModel as SdkVariable,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { type InstantVector, toPromQL } from '@o11y/catalog';
import { captureSource, O11yError, type SourceLocation, type VariableModel } from '@o11y/core';
import { DATASOURCES, type DatasourceKind, datasourceRef, datasourceVariable } from './datasources.ts';

/** A dashboard template variable, with what the model and the convention checks need to know. */
export interface Variable {
  readonly name: string;
  readonly model: VariableModel;
  readonly sdk: cog.Builder<SdkVariable>;
  readonly source: SourceLocation;
  /** Raw Grafana JSON (`verbatimVariable`), outside what the SDK's schema describes. */
  readonly verbatim?: true;
}

const VARIABLE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface LabelValuesOptions {
  /** The label to list; defaults to the variable's name. */
  readonly label?: string;
  readonly title?: string;
  /** Several values at once (`=~"$name"` in selectors); on by default with an "All" entry. */
  readonly multi?: boolean;
}

/**
 * A variable listing the values of a label, read from the series of a catalogue selector:
 * `label_values(http_requests_total{environment=~"$environment"}, service)`. The selector is typed,
 * so a variable cannot list a label its metric does not carry.
 */
export function labelValues(
  name: string,
  selector: InstantVector,
  options: LabelValuesOptions = {},
): Variable {
  const source = captureSource();
  const label = options.label ?? name;
  if (!VARIABLE_NAME.test(name)) throw new O11yError(`"${name}" is not a valid variable name`, { source });
  if (!selector.labels.includes(label)) {
    throw new O11yError(`variable ${name}: ${selector} has no label "${label}"`, {
      source,
      hint: `its labels are ${selector.labels.join(', ')}`,
    });
  }
  const query = `label_values(${toPromQL(selector)}, ${label})`;
  const multi = options.multi ?? true;
  const sdk = new QueryVariableBuilder(name)
    .label(options.title ?? titleCase(name))
    .datasource(datasourceRef('prometheus'))
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi);
  if (multi) sdk.allValue('.+');
  return Object.freeze({
    name,
    model: { name, type: 'query', query, datasource: datasourceRef('prometheus') },
    sdk,
    source,
  });
}

/** The datasource picker every dashboard starts with (Prometheus; Loki when a panel reads logs). */
export function datasourcePicker(kind: DatasourceKind): Variable {
  const { variable, type } = DATASOURCES[kind];
  return Object.freeze({
    name: variable,
    model: { name: variable, type: 'datasource', query: type },
    sdk: datasourceVariable(kind),
    source: captureSource(),
  });
}

function titleCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ');
}

/** `$name` for `=~` matchers of multi-value variables. */
export function ref(variable: Variable | string): `$${string}` {
  return `$${typeof variable === 'string' ? variable : variable.name}`;
}

/**
 * A variable kept as raw Grafana JSON (a query, custom, interval, constant or textbox variable the
 * typed builders do not spell), as `o11y import` writes them. Prefer `labelValues` where it fits.
 */
export function verbatimVariable(
  json: Readonly<Record<string, unknown>> & { readonly name: string },
): Variable {
  const source = captureSource();
  if (!VARIABLE_NAME.test(json.name))
    throw new O11yError(`"${json.name}" is not a valid variable name`, { source });
  const query =
    typeof json.query === 'string' ? json.query : (json.query as { query?: unknown } | undefined)?.query;
  const type = typeof json.type === 'string' ? json.type : 'query';
  return Object.freeze({
    name: json.name,
    model: {
      name: json.name,
      type,
      ...(typeof query === 'string' && { query }),
      ...(json.datasource !== undefined && { datasource: json.datasource }),
    },
    sdk: { build: () => structuredClone(json) as unknown as SdkVariable },
    source,
    verbatim: true,
  });
}
