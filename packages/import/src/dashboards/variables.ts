import { raw } from '@o11y/catalog';
import {
  constantVariable,
  customVariable,
  DATASOURCES,
  datasourcePicker,
  intervalVariable,
  labelValues,
  textboxVariable,
  type Variable,
  verbatimVariable,
  withVerbatim,
} from '@o11y/dashboards';
import { isRecord, type Json } from '../json.ts';
import { overlayOf, overlayPaths } from './compare.ts';

/** An imported variable as builder code, the variable it builds, and what the report says of it. */
export interface VariablePlan {
  readonly code: string;
  readonly variable: Variable;
  /** Why (part of) it is kept verbatim; none when the typed builder reproduces it. */
  readonly kept?: string;
}

interface TypedCall {
  readonly builder: string;
  readonly code: string;
  readonly variable: Variable;
  /** Fields the builder sets that change what Grafana does, and Grafana's value when they are absent. */
  readonly unset?: Json;
}

/** labelValues sorts, refreshes on every time range change and matches `.+` for All; Grafana's defaults do not. */
const LABEL_VALUES_UNSET = { sort: 0, refresh: 1, allValue: null };

const LABEL_VALUES = /^label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s;
const PROMETHEUS_PICKER = new Set([
  `$${DATASOURCES.prometheus.variable}`,
  `\${${DATASOURCES.prometheus.variable}}`,
]);

const readsPrometheus = (datasource: unknown) =>
  datasource === undefined ||
  (typeof datasource === 'string' && PROMETHEUS_PICKER.has(datasource)) ||
  (isRecord(datasource) && datasource.type === 'prometheus');

/** The typed builder call that writes a variable of this type, or why there is none. */
function typedCall(json: Json & { name: string }, write: (value: unknown) => string): TypedCall | string {
  const { name } = json;
  // Trailing options only where they differ from the builder's defaults.
  const call = (builder: string, args: readonly string[], options: Json, variable: Variable): TypedCall => ({
    builder,
    code: `${builder}(${[...args, ...(Object.keys(options).length > 0 ? [write(options)] : [])].join(', ')})`,
    variable,
  });
  const type = json.type ?? 'query';
  const title = typeof json.label === 'string' && json.label !== '' ? { title: json.label } : {};
  const query = typeof json.query === 'string' ? json.query : undefined;
  switch (type) {
    case 'query': {
      const text = isRecord(json.query) && typeof json.query.query === 'string' ? json.query.query : query;
      const match = text === undefined ? null : LABEL_VALUES.exec(text.trim());
      if (!match || !readsPrometheus(json.datasource))
        return 'only label_values(selector, label) of Prometheus has a typed builder (labelValues)';
      const [, selector, label] = match as unknown as [string, string, string];
      const options: Json = {
        ...(label !== name && { label }),
        ...title,
        ...(json.multi !== true && { multi: false }),
      };
      return {
        ...call(
          'labelValues',
          [write(name), `raw(${write(selector)}, { labels: [${write(label)}] })`],
          options,
          labelValues(name, raw(selector, { labels: [label] }), options),
        ),
        unset: LABEL_VALUES_UNSET,
      };
    }
    case 'datasource': {
      const kind = Object.entries(DATASOURCES).find(([, d]) => d.variable === name && d.type === query)?.[0];
      if (kind !== 'prometheus' && kind !== 'loki')
        return `the builders' datasource pickers are $${DATASOURCES.prometheus.variable} (Prometheus) and $${DATASOURCES.loki.variable} (Loki)`;
      return call('datasourcePicker', [write(kind)], {}, datasourcePicker(kind));
    }
    case 'custom': {
      // Escaped commas and `text : value` pairs are Grafana's syntax beyond a plain list.
      if (query === undefined || query.includes('\\,') || query.includes(' : '))
        return 'only a plain comma-separated list has a typed builder (customVariable)';
      const values = query.split(',').map((v) => v.trim());
      const options = { ...title, ...(json.multi === true && { multi: true }) };
      return call(
        'customVariable',
        [write(name), write(values)],
        options,
        customVariable(name, values, options),
      );
    }
    case 'constant':
    case 'textbox': {
      const [builder, make] =
        type === 'constant'
          ? (['constantVariable', constantVariable] as const)
          : (['textboxVariable', textboxVariable] as const);
      return call(builder, [write(name), write(query ?? '')], title, make(name, query ?? '', title));
    }
    case 'interval': {
      if (query === undefined) return 'an interval variable without intervals';
      const intervals = query.split(',').map((v) => v.trim());
      return call(
        'intervalVariable',
        [write(name), write(intervals)],
        title,
        intervalVariable(name, intervals, title),
      );
    }
    default:
      return `no typed builder for ${String(type)} variables`;
  }
}

/**
 * A variable of the input through the builders' typed API where one writes its type, with what the
 * typed builder does not write laid over it (`withVerbatim`); as raw JSON (`verbatimVariable`) where
 * none does. `write` spells JSON as the module's code.
 */
export function planVariable(json: Json & { name: string }, write: (value: unknown) => string): VariablePlan {
  const call = typedCall(json, write);
  if (typeof call === 'string')
    return {
      code: `verbatimVariable(${write(json)})`,
      variable: verbatimVariable(json),
      kept: `kept with verbatimVariable(): ${call}`,
    };
  const built = call.variable.sdk.build() as unknown as Json;
  const unset = Object.entries(call.unset ?? {}).filter(
    ([field, value]) => !(field in json) && built[field] !== undefined && built[field] !== value,
  );
  const found = overlayOf(json, built);
  const overlay =
    unset.length === 0 ? found : { ...(found as Json | undefined), ...Object.fromEntries(unset) };
  if (overlay === undefined) return { code: call.code, variable: call.variable };
  return {
    code: `withVerbatim(${call.code}, ${write(overlay)})`,
    variable: withVerbatim(call.variable, overlay as Json),
    kept: `not modelled by ${call.builder}(), kept with withVerbatim(): ${overlayPaths(overlay).join(', ')}`,
  };
}
