/**
 * Template variables: their selected values (from Prometheus for `label_values`, `label_names` and
 * `query_result` queries, else the dashboard's saved selection), and Grafana's interpolation of
 * `$var`, `${var}`, `${var:format}` and `[[var]]` in queries, titles and links.
 */
import type { VariableJson } from './dashboard-json.ts';
import type { PrometheusClient } from './prometheus.ts';

export interface VariableSelection {
  readonly name: string;
  readonly label: string;
  /** The selected values; "All" is expanded into every option. */
  readonly values: readonly string[];
  readonly all: boolean;
  readonly allValue: string | undefined;
  /** Multi-value or include-all: Prometheus queries get a regex alternation. */
  readonly regexFormatted: boolean;
  /** Why the values could not be fetched, shown in the page header. */
  readonly problem?: string;
}

const ALL = '$__all';

/**
 * Which value each variable takes: the dashboard's saved selection, as Grafana opens it (falling back to
 * All or the first option), or the first option whatever was saved (a second look at the same panels).
 */
export type VariableChoice = 'saved' | 'first';

function queryText(variable: VariableJson): string {
  return typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
}

function savedValues(variable: VariableJson): string[] {
  const value = variable.current?.value;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Custom and interval variables list their options as `a,b` or `label : value` pairs. */
function listedOptions(variable: VariableJson): string[] {
  if (variable.options && variable.options.length > 0) {
    return variable.options.map((o) => o.value).filter((v) => v !== ALL);
  }
  return queryText(variable)
    .split(/(?<!\\),/)
    .map((part) => {
      const pair = /^\s*(.+?)\s+:\s+(.+)\s*$/.exec(part);
      return (pair ? pair[2]! : part).trim().replace(/\\,/g, ',');
    })
    .filter((v) => v !== '');
}

/** Grafana's variable `regex`: filters options and, with a capture group, extracts from them. */
function applyRegex(values: readonly string[], regex: string | undefined): string[] {
  if (!regex) return [...values];
  const match = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const pattern = match ? new RegExp(match[1]!, match[2]!.replace('g', '')) : new RegExp(regex);
  const result: string[] = [];
  for (const value of values) {
    const found = pattern.exec(value);
    if (!found) continue;
    const extracted = found.groups?.value ?? found[1] ?? found[0];
    if (!result.includes(extracted)) result.push(extracted);
  }
  return result;
}

/** Options of a Prometheus query variable, or an error as Prometheus gave it. */
async function queryOptions(
  text: string,
  client: PrometheusClient,
  startS: number,
  endS: number,
  interpolate: (text: string) => string,
): Promise<{ values: string[] } | { error: string }> {
  const query = interpolate(text.trim());
  const labelValues = /^label_values\((?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s.exec(query);
  if (labelValues) {
    const answer = await client.labelValues(labelValues[2]!, labelValues[1]?.trim(), startS, endS);
    return answer.ok ? { values: answer.data } : { error: answer.error };
  }
  const labelNames = /^label_names\(\s*(.*?)\s*\)$/s.exec(query);
  if (labelNames) {
    const answer = await client.labelNames(labelNames[1] || undefined, startS, endS);
    return answer.ok ? { values: answer.data } : { error: answer.error };
  }
  const metrics = /^metrics\(\s*(.*?)\s*\)$/s.exec(query);
  if (metrics) {
    const answer = await client.labelValues('__name__', undefined, startS, endS);
    if (!answer.ok) return { error: answer.error };
    const filter = new RegExp(metrics[1] ?? '');
    return { values: answer.data.filter((name) => filter.test(name)) };
  }
  const expr = /^query_result\((.+)\)$/s.exec(query)?.[1] ?? query;
  const answer = await client.query(expr, endS);
  if (!answer.ok) return { error: answer.error };
  // query_result lists each series as Grafana prints it: `name{labels} value timestamp`.
  return {
    values: answer.data.map((series) => {
      const { __name__: name = '', ...labels } = series.metric;
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      const [t, v] = series.values[0] ?? [0, ''];
      return `${name}{${text}} ${v} ${t * 1000}`;
    }),
  };
}

function select(
  variable: VariableJson,
  options: readonly string[],
  fromServer: boolean,
  choice: VariableChoice,
): Pick<VariableSelection, 'values' | 'all'> {
  if (choice === 'first') return { values: options.slice(0, 1), all: false };
  const saved = savedValues(variable);
  if (saved.includes(ALL)) return { values: options, all: true };
  const kept = fromServer ? saved.filter((v) => options.includes(v)) : saved;
  if (kept.length > 0) return { values: kept, all: false };
  // Grafana falls back to "All" when it is offered, else to the first option.
  if (variable.includeAll) return { values: options, all: true };
  return { values: options.slice(0, 1), all: false };
}

/**
 * Resolves the dashboard's variables in order (a query may use the variables before it). Without a
 * Prometheus, query variables keep the dashboard's saved selection.
 */
export async function resolveVariables(
  variables: readonly VariableJson[],
  client: PrometheusClient | undefined,
  startS: number,
  endS: number,
  builtins: Readonly<Record<string, string>>,
  choice: VariableChoice = 'saved',
): Promise<VariableSelection[]> {
  const resolved: VariableSelection[] = [];
  for (const variable of variables) {
    const base = {
      name: variable.name,
      label: variable.label || variable.name,
      allValue: variable.allValue ?? undefined,
      regexFormatted: variable.multi === true || variable.includeAll === true,
    };
    if (variable.type === 'adhoc') continue;
    if (variable.type === 'constant' || variable.type === 'textbox') {
      const saved = savedValues(variable);
      resolved.push({ ...base, values: saved.length > 0 ? saved : [queryText(variable)], all: false });
      continue;
    }
    if (variable.type === 'query' && client) {
      const interpolate = (text: string) => interpolateText(text, resolved, builtins, 'query');
      const found = await queryOptions(queryText(variable), client, startS, endS, interpolate);
      if ('error' in found) {
        resolved.push({ ...base, ...select(variable, [], false, choice), problem: found.error });
        continue;
      }
      const options = applyRegex(found.values, variable.regex).sort();
      resolved.push({ ...base, ...select(variable, options, true, choice) });
      continue;
    }
    const options =
      variable.type === 'query' ? applyRegex(savedValues(variable), variable.regex) : listedOptions(variable);
    resolved.push({
      ...base,
      ...select(
        variable,
        options.filter((v) => v !== ALL),
        false,
        choice,
      ),
    });
  }
  return resolved;
}

/** Backslashes and single quotes, as the Prometheus data source escapes a single value. */
function plainEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

/** A value inside a Prometheus regex matcher in a double-quoted string. */
function regexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/** One variable's text under one of Grafana's formats (`query` is the Prometheus data source's own). */
export function formatValue(selection: VariableSelection, format: string): string {
  const values = selection.values;
  switch (format) {
    case 'query':
      if (selection.all && selection.allValue !== undefined) return selection.allValue;
      if (!selection.regexFormatted) return plainEscape(values[0] ?? '');
      return values.length === 1 ? regexEscape(values[0]!) : `(${values.map(regexEscape).join('|')})`;
    case 'text':
      return selection.all ? 'All' : values.join(' + ');
    case 'regex': {
      if (selection.all && selection.allValue !== undefined) return selection.allValue;
      const escaped = values.map((v) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&'));
      return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
    }
    case 'pipe':
      return values.join('|');
    case 'csv':
    case 'raw':
      return values.join(',');
    case 'json':
      return JSON.stringify(values.length === 1 ? values[0] : values);
    case 'singlequote':
      return values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',');
    case 'doublequote':
      return values.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(',');
    case 'glob':
      return values.length === 1 ? values[0]! : `{${values.join(',')}}`;
    case 'percentencode':
      return encodeURIComponent(values.length === 1 ? values[0]! : `{${values.join(',')}}`);
    case 'queryparam':
      return values
        .map((v) => `var-${encodeURIComponent(selection.name)}=${encodeURIComponent(v)}`)
        .join('&');
    default:
      throw new Error(`variable format "${format}" is not one Grafana knows`);
  }
}

/** `$var`, `${var}`, `${var:format}`, `[[var]]` and `[[var:format]]`, as Grafana's template service matches them. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/**
 * Replaces the variables of `text`: built-ins, then the dashboard's (with `scoped` values first, for
 * repeats). Names that are neither stay as they are, as Grafana leaves them.
 */
export function interpolateText(
  text: string,
  variables: readonly VariableSelection[],
  builtins: Readonly<Record<string, string>>,
  defaultFormat: string,
  scoped: Readonly<Record<string, string>> = {},
): string {
  return text.replace(
    VARIABLE,
    (
      match,
      plain?: string,
      bracket?: string,
      bracketFormat?: string,
      braced?: string,
      bracedFormat?: string,
    ) => {
      const name = (plain ?? bracket ?? braced)!;
      const builtin = builtins[name];
      if (builtin !== undefined) return builtin;
      const format = bracketFormat ?? bracedFormat ?? defaultFormat;
      const own = scoped[name];
      const found = variables.find((v) => v.name === name);
      if (own !== undefined) {
        const single: VariableSelection = found
          ? { ...found, values: [own], all: false }
          : { name, label: name, values: [own], all: false, allValue: undefined, regexFormatted: false };
        return formatValue(single, format);
      }
      return found ? formatValue(found, format) : match;
    },
  );
}
