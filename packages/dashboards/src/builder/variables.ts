import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  ConstantVariableBuilder,
  CustomVariableBuilder,
  IntervalVariableBuilder,
  QueryVariableBuilder,
  type VariableModel as SdkVariable,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { type InstantVector, toPromQL } from '@o11y/catalog';
import { captureSource, O11yError, type SourceLocation, type VariableModel } from '@o11y/core';
import { DATASOURCES, type DatasourceKind, datasourceRef, datasourceVariable } from './datasources.ts';
import { mergeVerbatim } from './verbatim.ts';

/** A dashboard template variable, with what the model and the convention checks need to know. */
export interface Variable {
  readonly name: string;
  readonly model: VariableModel;
  readonly sdk: cog.Builder<SdkVariable>;
  readonly source: SourceLocation;
  /** Raw Grafana JSON (`verbatimVariable`), outside what the SDK's schema describes. */
  readonly verbatim?: true;
  /** Fields laid over the built JSON by `withVerbatim`, outside what the SDK's schema describes. */
  readonly verbatimKeys?: readonly string[];
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
  checkName(name, source);
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

function checkName(name: string, source: SourceLocation): void {
  if (!VARIABLE_NAME.test(name)) throw new O11yError(`"${name}" is not a valid variable name`, { source });
}

export interface VariableOptions {
  /** The label beside the picker; the name in title case by default. */
  readonly title?: string;
}

function typed(
  name: string,
  type: string,
  query: string,
  sdk: cog.Builder<SdkVariable>,
  source: SourceLocation,
): Variable {
  checkName(name, source);
  return Object.freeze({ name, model: { name, type, query }, sdk, source });
}

/**
 * A variable offering a fixed list of values: `customVariable('quantile', ['0.5', '0.99'])`. With
 * `multi`, several at once and an "All" entry.
 */
export function customVariable(
  name: string,
  values: readonly string[],
  options: VariableOptions & { readonly multi?: boolean } = {},
): Variable {
  const query = values.join(',');
  const multi = options.multi ?? false;
  const sdk = new CustomVariableBuilder(name)
    .label(options.title ?? titleCase(name))
    .values(query)
    .multi(multi)
    .includeAll(multi);
  return typed(name, 'custom', query, sdk, captureSource());
}

/** A hidden fixed value the queries share: `constantVariable('cluster', 'eu-1')`. */
export function constantVariable(name: string, value: string, options: VariableOptions = {}): Variable {
  const sdk = new ConstantVariableBuilder(name).label(options.title ?? titleCase(name)).value(value);
  return typed(name, 'constant', value, sdk, captureSource());
}

/** A choice of durations for `[$name]` ranges: `intervalVariable('window', ['1m', '5m', '1h'])`. */
export function intervalVariable(
  name: string,
  intervals: readonly string[],
  options: VariableOptions = {},
): Variable {
  const query = intervals.join(',');
  const sdk = new IntervalVariableBuilder(name).label(options.title ?? titleCase(name)).values(query);
  return typed(name, 'interval', query, sdk, captureSource());
}

/** A free-text input, empty or with a default: `textboxVariable('path', '/api')`. */
export function textboxVariable(name: string, value = '', options: VariableOptions = {}): Variable {
  const sdk = new TextBoxVariableBuilder(name).label(options.title ?? titleCase(name)).defaultValue(value);
  return typed(name, 'textbox', value, sdk, captureSource());
}

/**
 * A typed variable with raw Grafana JSON laid over what it builds (`current`, `hide`, `refresh`, …):
 * the escape hatch for settings the typed builders do not take, as `o11y import` writes them.
 */
export function withVerbatim(variable: Variable, fields: Readonly<Record<string, unknown>>): Variable {
  return Object.freeze({
    ...variable,
    model: {
      ...variable.model,
      ...(typeof fields.query === 'string' && { query: fields.query }),
      ...(fields.datasource !== undefined && { datasource: fields.datasource }),
    },
    sdk: { build: () => mergeVerbatim(variable.sdk.build(), fields) as SdkVariable },
    verbatimKeys: [...(variable.verbatimKeys ?? []), ...Object.keys(fields)],
  });
}

/** The datasource picker every dashboard starts with (Prometheus; Loki when a panel reads logs). */
export function datasourcePicker(kind: DatasourceKind): Variable {
  return pickerAt(kind, captureSource());
}

/** The picker a dashboard adds itself, at the dashboard's line: no stack to search for a user's frame. */
export function pickerAt(kind: DatasourceKind, source: SourceLocation): Variable {
  const { variable, type } = DATASOURCES[kind];
  return Object.freeze({
    name: variable,
    model: { name: variable, type: 'datasource', query: type },
    sdk: datasourceVariable(kind),
    source,
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
 * A variable kept as raw Grafana JSON (ad hoc filters, queries other than Prometheus label values:
 * what the typed builders do not spell), as `o11y import` writes them. Prefer the typed builders.
 */
export function verbatimVariable(
  json: Readonly<Record<string, unknown>> & { readonly name: string },
): Variable {
  const source = captureSource();
  checkName(json.name, source);
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
