/**
 * Prometheus results → @grafana/data frames, shaped as Grafana's Prometheus data source shapes them:
 * one frame per series (a time field and a value field carrying the labels) for time series, one
 * frame per query with a column per label for table-formatted (instant) queries.
 */
import { type DataFrame, type Field, FieldType } from '@grafana/data';
import type { QueryResult, SeriesResult } from './payload.ts';

/** Prometheus sends numbers as strings, with `NaN`, `+Inf` and `-Inf` spelled out. */
function sampleValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** Grafana's `{{label}}` legend templates; `__auto` and empty mean "let the labels name it". */
export function legendOf(
  format: string | undefined,
  labels: Readonly<Record<string, string>>,
): string | undefined {
  if (format === undefined || format === '' || format === '__auto') return undefined;
  return format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

function seriesFrame(result: QueryResult, series: SeriesResult): DataFrame {
  const { __name__: name, ...labels } = series.metric;
  const legend = legendOf(result.legendFormat, series.metric);
  const time: Field = {
    name: 'Time',
    type: FieldType.time,
    config: {},
    values: series.values.map(([seconds]) => seconds * 1000),
  };
  const value: Field = {
    name: name ?? 'Value',
    type: FieldType.number,
    labels,
    config: legend === undefined ? {} : { displayNameFromDS: legend },
    values: series.values.map(([, text]) => sampleValue(text)),
  };
  return { refId: result.refId, fields: [time, value], length: series.values.length };
}

function tableFrame(result: QueryResult, valueName: string): DataFrame {
  const labelNames = [...new Set(result.series.flatMap((s) => Object.keys(s.metric)))].sort();
  const last = result.series.map((s) => s.values[s.values.length - 1]);
  const fields: Field[] = [
    { name: 'Time', type: FieldType.time, config: {}, values: last.map((v) => (v ? v[0] * 1000 : null)) },
    ...labelNames.map(
      (label): Field => ({
        name: label,
        type: FieldType.string,
        config: {},
        values: result.series.map((s) => s.metric[label] ?? ''),
      }),
    ),
    {
      name: valueName,
      type: FieldType.number,
      config: {},
      values: last.map((v) => (v ? sampleValue(v[1]) : null)),
    },
  ];
  return { refId: result.refId, fields, length: result.series.length };
}

export function framesOf(results: readonly QueryResult[]): DataFrame[] {
  const tables = results.filter((r) => r.format === 'table').length;
  return results.flatMap((result) =>
    result.format === 'table'
      ? result.series.length === 0
        ? []
        : [tableFrame(result, tables > 1 ? `Value #${result.refId}` : 'Value')]
      : result.series.map((series) => seriesFrame(result, series)),
  );
}
