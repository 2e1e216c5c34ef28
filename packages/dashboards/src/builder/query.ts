import { DataqueryBuilder as LokiBuilder } from '@grafana/grafana-foundation-sdk/loki';
import type { DataqueryBuilder as PromBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { DataqueryBuilder as PromDataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { checkLegend, type InstantVector, isRaw, type Node, toPromQL, walk } from '@o11y/catalog';
import { O11yError, type SourceLocation } from '@o11y/core';
import { datasourceRef } from './datasources.ts';

export interface PromQueryOptions {
  /** One value per series at the end of the range (stat, gauge, table) instead of a time series. */
  readonly instant?: boolean;
  /** `table` for table panels, `heatmap` for bucket heatmaps. */
  readonly format?: 'time_series' | 'table' | 'heatmap';
}

/** A typed PromQL query of a panel, with its legend and the TypeScript line that added it. */
export class PromQuery {
  readonly expr: InstantVector;
  readonly legendFormat: string | undefined;
  readonly options: PromQueryOptions;
  readonly source: SourceLocation;

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
  }

  get promql(): string {
    return toPromQL(this.expr);
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
    if (!this.options.instant && this.readsBuckets) target.exemplar(true);
    return target;
  }
}

function selectorName(node: Node): string | undefined {
  if (node.type === 'selector') return node.metric;
  if (node.type === 'matrix') return node.selector.metric;
  return undefined;
}

/**
 * Every `rate`/`irate` must use `$__rate_interval`: Grafana then picks a window of at least four
 * scrape intervals at every zoom level, where a fixed `[5m]` shows gaps or hides spikes.
 */
export function checkRateIntervals(query: PromQuery): void {
  for (const node of walk(query.expr.node)) {
    if (node.type !== 'call' || !['rate', 'irate'].includes(node.func)) continue;
    const [arg] = node.args;
    const range = arg?.type === 'matrix' ? arg.range : arg?.type === 'subquery' ? arg.range : undefined;
    if (range !== '$__rate_interval') {
      throw new O11yError(
        `${node.func}() in a dashboard query uses [${range}] instead of [$__rate_interval]`,
        {
          source: query.source,
          id: 'dashboards/rate-interval',
          hint: "write .range('$__rate_interval') so Grafana adapts the window to the scrape interval and zoom",
        },
      );
    }
  }
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
