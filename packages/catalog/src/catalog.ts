import { compareCodePoints, type Diagnostic, formatSource, O11yErrors } from '@o11y/core';
import type { Dimensions } from './dimensions.ts';
import type { SeriesInfo } from './expr/selector.ts';
import type { LogStreams } from './log-streams.ts';
import type { CatalogueEntry, Job, MetricDeclaration } from './metric.ts';

/**
 * The set of metrics an organisation has: lookup by metric name or by series name (`x_bucket` finds the
 * histogram `x`), so lint can resolve any selector of a parsed query.
 */
export class Catalog {
  readonly metrics: readonly MetricDeclaration[];
  /** The organisation's deployment dimensions, when it declares them. */
  readonly dimensions: Dimensions | undefined;
  /** The stream labels of the organisation's logs, when it declares them. */
  readonly logStreams: LogStreams | undefined;
  private readonly byMetric = new Map<string, MetricDeclaration>();
  private readonly bySeries = new Map<string, SeriesInfo>();

  constructor(entries: readonly CatalogueEntry[], options: CatalogOptions = {}) {
    this.dimensions = options.dimensions;
    this.logStreams = options.logStreams;
    const problems: Diagnostic[] = [];
    for (const { declaration } of entries) {
      const previous = this.byMetric.get(declaration.name);
      if (previous === declaration) continue;
      if (previous) {
        problems.push(duplicate(`metric ${declaration.name}`, declaration, previous));
        continue;
      }
      this.byMetric.set(declaration.name, declaration);
      for (const series of declaration.series) {
        const clash = this.bySeries.get(series.name);
        if (clash) problems.push(duplicate(`series ${series.name}`, declaration, clash.declaration));
        else this.bySeries.set(series.name, series);
      }
    }
    if (problems.length > 0) throw new O11yErrors(problems);
    this.metrics = Object.freeze(
      [...this.byMetric.values()].sort((a, b) => compareCodePoints(a.name, b.name)),
    );
  }

  /** The declaration of a metric or recording rule, by its name. */
  metric(name: string): MetricDeclaration | undefined {
    return this.byMetric.get(name);
  }

  /** The series a selector of this name reads: its kind, labels and declaration. */
  series(name: string): SeriesInfo | undefined {
    return this.bySeries.get(name);
  }

  /** Every scrape job of the catalogue, sorted by name. */
  jobs(): Job[] {
    const jobs = new Map<string, Job>();
    for (const metric of this.metrics) for (const j of metric.jobs) jobs.set(j.name, j);
    return [...jobs.values()].sort((a, b) => compareCodePoints(a.name, b.name));
  }

  /** A catalogue with more entries, e.g. the recording rules of a build. */
  with(entries: readonly CatalogueEntry[]): Catalog {
    return new Catalog([...this.metrics.map((declaration) => ({ declaration })), ...entries], {
      ...(this.dimensions && { dimensions: this.dimensions }),
      ...(this.logStreams && { logStreams: this.logStreams }),
    });
  }
}

function duplicate(what: string, declaration: MetricDeclaration, previous: MetricDeclaration): Diagnostic {
  return {
    severity: 'error',
    id: 'catalog/duplicate',
    message: `${what} is declared twice`,
    source: declaration.source,
    hint: `it is already declared at ${formatSource(previous.source)}; keep one declaration`,
  };
}

export interface CatalogOptions {
  readonly dimensions?: Dimensions;
  readonly logStreams?: LogStreams;
}

export function defineCatalog(entries: readonly CatalogueEntry[], options: CatalogOptions = {}): Catalog {
  return new Catalog(entries, options);
}
