import { DataqueryBuilder as LokiBuilder } from '@grafana/grafana-foundation-sdk/loki';
import type { DataqueryBuilder as PromBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { DataqueryBuilder as PromDataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { checkLegend, type InstantVector, isRaw, type Node, toPromQL, walk } from '@o11y/catalog';
import { type Duration, formatDuration, O11yError, parseDuration, type SourceLocation } from '@o11y/core';
import { datasourceRef } from './datasources.ts';

export interface PromQueryOptions {
  /** One value per series at the end of the range (stat, gauge, table) instead of a time series. */
  readonly instant?: boolean;
  /** `table` for table panels, `heatmap` for bucket heatmaps. */
  readonly format?: 'time_series' | 'table' | 'heatmap';
  /** This query's own unit, when one panel shows figures of two units (a share and a duration). */
  readonly unit?: string;
  /**
   * The query reads `increase(…[fixedWindow])` on purpose: each value is an amount per that window
   * (revenue per hour), a meaning `$__rate_interval` would change with the zoom. The query's min step
   * (Grafana `interval`) is set to the window, so consecutive points cover consecutive windows; lint's
   * `dashboard/rate-interval` accepts exactly this pairing.
   */
  readonly fixedWindow?: Duration;
}

/** A typed PromQL query of a panel, with its legend and the TypeScript line that added it. */
export class PromQuery {
  readonly expr: InstantVector;
  readonly legendFormat: string | undefined;
  readonly options: PromQueryOptions;
  readonly source: SourceLocation;
  /** `options.fixedWindow` in its canonical spelling (`60m` → `1h`), as the typed ranges are written. */
  readonly fixedWindow: string | undefined;
  private printed: string | undefined;

  constructor(
    expr: InstantVector,
    legendFormat: string | undefined,
    options: PromQueryOptions,
    source: SourceLocation,
  ) {
    if (legendFormat !== undefined) checkLegend(expr, legendFormat);
    this.expr = expr;
    this.legendFormat = legendFormat;
    this.options = options;
    this.source = source;
    this.fixedWindow = options.fixedWindow && canonicalWindow(options.fixedWindow, source);
    if (this.fixedWindow) checkFixedWindow(expr, this.fixedWindow, source);
  }

  /** Printed once: the dashboard's well-formedness check and its JSON both read it. */
  get promql(): string {
    if (this.printed === undefined) this.printed = toPromQL(this.expr);
    return this.printed;
  }

  /** Written through the raw-PromQL escape hatch somewhere in the expression. */
  get raw(): boolean {
    return isRaw(this.expr);
  }

  /** Exemplars only exist on histogram buckets; asking for them elsewhere costs a query for nothing. */
  get readsBuckets(): boolean {
    return [...walk(this.expr.node)].some((n) => selectorName(n)?.endsWith('_bucket'));
  }

  toTarget(refId: string): PromBuilder {
    const target = new PromDataqueryBuilder()
      .refId(refId)
      .datasource(datasourceRef('prometheus'))
      .expr(this.promql)
      .legendFormat(this.legendFormat ?? '__auto');
    if (this.options.instant) target.instant();
    else target.range();
    if (this.options.format) target.format(this.options.format as never);
    if (this.fixedWindow) target.interval(this.fixedWindow);
    if (!this.options.instant && this.readsBuckets) target.exemplar(true);
    return target;
  }
}

function canonicalWindow(window: Duration, source: SourceLocation): string {
  let ms = 0;
  try {
    ms = parseDuration(window);
  } catch {
    // an invalid spelling is reported below, with the line that declared it
  }
  if (ms === 0) {
    throw new O11yError(`fixedWindow '${window}' is not a positive duration`, {
      source,
      id: 'dashboards/fixed-window',
      hint: "write a Prometheus duration such as '1h' or '1d'",
    });
  }
  return formatDuration(ms);
}

function selectorName(node: Node): string | undefined {
  if (node.type === 'selector') return node.metric;
  if (node.type === 'matrix') return node.selector.metric;
  return undefined;
}

/**
 * A declared `fixedWindow` says the query reads `increase(…[window])`: an amount per window. One that
 * no `increase` reads would set a min step for nothing, so the option is malformed. Whether the other
 * ranges adapt to the zoom is lint's `dashboard/rate-interval`.
 */
function checkFixedWindow(expr: InstantVector, window: string, source: SourceLocation): void {
  for (const node of walk(expr.node)) {
    if (node.type !== 'call' || node.func !== 'increase') continue;
    const [arg] = node.args;
    const range = arg?.type === 'matrix' ? arg.range : arg?.type === 'subquery' ? arg.range : undefined;
    if (range === window) return;
  }
  throw new O11yError(`the query declares fixedWindow '${window}' but no increase() reads [${window}]`, {
    source,
    id: 'dashboards/fixed-window',
    hint: `drop the option, or read increase(….range('${window}'))`,
  });
}

/** A LogQL query of a logs panel (LogQL is not PromQL: it is passed to Loki as written). */
export class LokiQuery {
  constructor(
    readonly logql: string,
    readonly source: SourceLocation,
  ) {}

  toTarget(refId: string): LokiBuilder {
    return new LokiBuilder().refId(refId).datasource(datasourceRef('loki')).expr(this.logql);
  }
}
