import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueGraphMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  LogsSortOrder,
  StackingConfigBuilder,
  StackingMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type DashboardLink,
  DashboardLinkBuilder,
  type DynamicConfigValue,
  PanelBuilder as GenericPanelBuilder,
  type Panel as SdkPanelJson,
  type ThresholdsConfig,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as gaugePanel from '@grafana/grafana-foundation-sdk/gauge';
import * as logsPanel from '@grafana/grafana-foundation-sdk/logs';
import * as statPanel from '@grafana/grafana-foundation-sdk/stat';
import * as tablePanel from '@grafana/grafana-foundation-sdk/table';
import * as timeseriesPanel from '@grafana/grafana-foundation-sdk/timeseries';
import type { InstantVector, Legend } from '@o11y/catalog';
import { captureSource, O11yError, type SourceLocation } from '@o11y/core';
import { type DatasourceKind, datasourceRef } from './datasources.ts';
import { builderSource } from './from-build.ts';
import { LokiQuery, PromQuery, type PromQueryOptions } from './query.ts';
import { mergeVerbatim } from './verbatim.ts';

/** What every foundation-SDK panel builder offers and the conventions rely on. */
interface SdkPanel extends cog.Builder<SdkPanelJson> {
  title(title: string): this;
  description(description: string): this;
  unit(unit: string): this;
  datasource(ref: ReturnType<typeof datasourceRef>): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
  thresholds(thresholds: cog.Builder<ThresholdsConfig>): this;
  span(width: number): this;
  height(height: number): this;
  id(id: number): this;
  links(links: cog.Builder<DashboardLink>[]): this;
  overrideByQuery(refId: string, properties: DynamicConfigValue[]): this;
  gridPos(gridPos: { x: number; y: number; w: number; h: number }): this;
}

export interface Threshold {
  readonly value: number;
  /** `above` (default): values over it are bad; `below`: values under it are bad (budget left, hit rate). */
  readonly when: 'above' | 'below';
  readonly color: string;
}

export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

/**
 * A change to an SDK panel builder. Written as a method so a `Panel<TimeseriesBuilder>` still counts as
 * a `Panel` (method parameters are compared bivariantly).
 */
interface Configurer<B> {
  apply(sdk: B): void;
}

/** The grid is 24 columns wide. */
export const GRID_WIDTH = 24;

/**
 * A panel: wraps a foundation-SDK panel builder (reachable through `configure`) and adds the
 * conventions: a description and a unit are required, queries are typed, thresholds come from the
 * constants the alert rules use, and the panel remembers the TypeScript line that created it.
 */
export abstract class Panel<B extends SdkPanel = SdkPanel> {
  readonly source: SourceLocation;
  readonly title: string;
  abstract readonly type: string;
  /** Which datasource its queries read. */
  abstract readonly datasource: DatasourceKind;
  private readonly create: () => B;
  /** Type defaults first, then the user's `configure` calls, replayed on a fresh SDK builder per build. */
  private readonly configurers: Configurer<B>[] = [];
  private descriptionText: string | undefined;
  private unitId: string | undefined;
  private readonly promQueries: PromQuery[] = [];
  private readonly lokiQueries: LokiQuery[] = [];
  private readonly steps: Threshold[] = [];
  private readonly panelLinks: PanelLink[] = [];
  private size: { width: number; height: number };
  private position: { x: number; y: number } | undefined;
  private verbatimFields: Readonly<Record<string, unknown>> = {};

  protected constructor(
    title: string,
    create: () => B,
    size: { width: number; height: number },
    source: SourceLocation,
  ) {
    if (title.trim() === '') throw new O11yError('a panel needs a title', { source });
    this.title = title;
    this.create = create;
    this.size = size;
    this.source = source;
  }

  /** What the panel shows and how to read it (shown as the panel's info tooltip). */
  description(text: string): this {
    this.descriptionText = text;
    return this;
  }

  /** A Grafana unit id, e.g. `units.Seconds` or `'reqps'` from `@grafana/grafana-foundation-sdk/units`. */
  unit(unit: string): this {
    this.unitId = unit;
    return this;
  }

  /**
   * Adds a typed PromQL query. The legend may only use labels the query returns: a compile error
   * names the label otherwise (and the same check runs at build time for untyped callers).
   */
  query<L extends string, const S extends string = string>(
    expr: InstantVector<L>,
    legend?: Legend<L, S>,
    options: PromQueryOptions = {},
  ): this {
    if (this.datasource !== 'prometheus') {
      throw new O11yError(`a ${this.type} panel reads Loki, not Prometheus`, { source: captureSource() });
    }
    this.promQueries.push(
      new PromQuery(expr, legend, { ...this.queryDefaults(), ...options }, builderSource()),
    );
    return this;
  }

  /** Draws the threshold of an alert (use the constant the alert rule uses, never a copy of the number). */
  threshold(value: number, options: { when?: 'above' | 'below'; color?: string } = {}): this {
    const source = builderSource();
    if (!Number.isFinite(value)) throw new O11yError(`threshold ${value} is not a finite number`, { source });
    const when = options.when ?? 'above';
    if (this.steps.some((s) => s.when !== when)) {
      throw new O11yError('a panel mixes "above" and "below" thresholds', {
        source,
        hint: 'draw one direction per panel; split the panel otherwise',
      });
    }
    this.steps.push({ value, when, color: options.color ?? 'red' });
    return this;
  }

  /** A link in the panel header, e.g. to the runbook of the alert the panel shows. */
  link(title: string, url: string): this {
    this.panelLinks.push({ title, url });
    return this;
  }

  /** Width in grid columns (of 24) and height in grid rows. */
  span(width: number, height = this.size.height): this {
    if (
      !Number.isInteger(width) ||
      width < 1 ||
      width > GRID_WIDTH ||
      !Number.isInteger(height) ||
      height < 1
    ) {
      throw new O11yError(`panel size ${width}×${height} does not fit the 24-column grid`, {
        source: captureSource(),
      });
    }
    this.size = { width, height };
    return this;
  }

  /** A fixed place on the grid (columns from the left, rows from the top) instead of the automatic layout. */
  at(x: number, y: number): this {
    if (!Number.isInteger(x) || x < 0 || x >= GRID_WIDTH || !Number.isInteger(y) || y < 0) {
      throw new O11yError(`panel position ${x},${y} is not on the 24-column grid`, {
        source: captureSource(),
      });
    }
    this.position = { x, y };
    return this;
  }

  /**
   * Raw Grafana panel JSON merged over what the builder writes (objects field by field, anything else
   * replaced): the escape hatch for panel types and options neither the conventions nor the SDK model,
   * as `o11y import` writes them. Prefer the typed methods and `configure` where they exist.
   */
  verbatim(fields: Readonly<Record<string, unknown>>): this {
    this.verbatimFields = mergeVerbatim(this.verbatimFields, fields) as Record<string, unknown>;
    return this;
  }

  get verbatimOf(): Readonly<Record<string, unknown>> {
    return this.verbatimFields;
  }

  /** Direct access to the foundation-SDK builder for options the conventions do not cover. */
  configure(configure: (sdk: B) => void): this {
    this.configurers.push({ apply: configure });
    return this;
  }

  get queries(): readonly (PromQuery | LokiQuery)[] {
    return [...this.promQueries, ...this.lokiQueries];
  }

  get prometheusQueries(): readonly PromQuery[] {
    return this.promQueries;
  }

  get thresholds(): readonly Threshold[] {
    return [...this.steps].sort((a, b) => a.value - b.value);
  }

  get unitOf(): string | undefined {
    return this.unitId;
  }

  get descriptionOf(): string | undefined {
    return this.descriptionText;
  }

  /** Whether the dashboard refuses the panel without a query (a text panel needs none). */
  get needsQuery(): boolean {
    return true;
  }

  /** Subclasses read Loki. */
  protected addLokiQuery(query: LokiQuery): void {
    this.lokiQueries.push(query);
  }

  protected queryDefaults(): PromQueryOptions {
    return {};
  }

  /** How the panel type shows thresholds (dashed lines on graphs; colours elsewhere). */
  protected abstract applyThresholdStyle(sdk: B): void;

  /** A fresh SDK builder with id, size, queries, thresholds, links and `configure` calls applied. */
  toSdk(id: number): B {
    const sdk = this.create()
      .id(id)
      .title(this.title)
      .datasource(datasourceRef(this.datasource))
      .span(this.size.width)
      .height(this.size.height);
    if (this.position) sdk.gridPos({ ...this.position, w: this.size.width, h: this.size.height });
    if (this.descriptionText) sdk.description(this.descriptionText);
    if (this.unitId) sdk.unit(this.unitId);
    this.queries.forEach((query, index) => {
      sdk.withTarget(query.toTarget(refIdFor(index)));
      if (query instanceof PromQuery && query.options.unit)
        sdk.overrideByQuery(refIdFor(index), [{ id: 'unit', value: query.options.unit }]);
    });
    const steps = this.thresholds;
    if (steps.length > 0) {
      const below = steps[0]!.when === 'below';
      sdk.thresholds(
        new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
          { value: null as unknown as number, color: below ? steps[0]!.color : 'green' },
          ...steps.map((s, i) => ({
            value: s.value,
            color: below ? (steps[i + 1]?.color ?? 'green') : s.color,
          })),
        ]),
      );
      this.applyThresholdStyle(sdk);
    }
    if (this.panelLinks.length > 0) {
      sdk.links(this.panelLinks.map((l) => new DashboardLinkBuilder(l.title).url(l.url).targetBlank(true)));
    }
    for (const configurer of this.configurers) configurer.apply(sdk);
    return sdk;
  }
}

/** `A`, `B`, … `Z`, `AA`, … like Grafana names query rows. */
export function refIdFor(index: number): string {
  let n = index;
  let id = '';
  do {
    id = String.fromCharCode(65 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}

export class TimeseriesPanel extends Panel<timeseriesPanel.PanelBuilder> {
  readonly type = 'timeseries';
  readonly datasource = 'prometheus';

  constructor(title: string, source: SourceLocation) {
    super(
      title,
      () =>
        new timeseriesPanel.PanelBuilder()
          .legend(
            new VizLegendOptionsBuilder()
              .showLegend(true)
              .displayMode(LegendDisplayMode.List)
              .placement(LegendPlacement.Bottom),
          )
          .fillOpacity(10)
          .lineWidth(1)
          .showPoints(VisibilityMode.Never),
      { width: 12, height: 8 },
      source,
    );
  }

  /** Stacks the series (shares of a total, e.g. requests by status). */
  stacked(): this {
    return this.configure((sdk) =>
      sdk.stacking(new StackingConfigBuilder().mode(StackingMode.Normal)).fillOpacity(60),
    );
  }

  protected override applyThresholdStyle(sdk: timeseriesPanel.PanelBuilder): void {
    sdk.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
}

abstract class SingleValuePanel<B extends SdkPanel> extends Panel<B> {
  readonly datasource = 'prometheus';

  protected override queryDefaults(): PromQueryOptions {
    return { instant: true };
  }
}

export class StatPanel extends SingleValuePanel<statPanel.PanelBuilder> {
  readonly type = 'stat';

  constructor(title: string, source: SourceLocation) {
    super(
      title,
      () => new statPanel.PanelBuilder().graphMode(BigValueGraphMode.None),
      { width: 6, height: 4 },
      source,
    );
  }

  protected override applyThresholdStyle(): void {}
}

export class GaugePanel extends SingleValuePanel<gaugePanel.PanelBuilder> {
  readonly type = 'gauge';

  constructor(title: string, source: SourceLocation) {
    super(
      title,
      () => new gaugePanel.PanelBuilder().showThresholdMarkers(true),
      { width: 6, height: 6 },
      source,
    );
  }

  /** The ends of the dial. */
  range(min: number, max: number): this {
    return this.configure((sdk) => sdk.min(min).max(max));
  }

  protected override applyThresholdStyle(): void {}
}

export class TablePanel extends SingleValuePanel<tablePanel.PanelBuilder> {
  readonly type = 'table';

  constructor(title: string, source: SourceLocation) {
    super(title, () => new tablePanel.PanelBuilder(), { width: 24, height: 8 }, source);
  }

  protected override queryDefaults(): PromQueryOptions {
    return { instant: true, format: 'table' };
  }

  protected override applyThresholdStyle(): void {}
}

/** Log lines from Loki; a log panel has no unit (its rows are text). */
export class LogsPanel extends Panel<logsPanel.PanelBuilder> {
  readonly type = 'logs';
  readonly datasource = 'loki';

  constructor(title: string, source: SourceLocation) {
    super(
      title,
      () =>
        new logsPanel.PanelBuilder()
          .showTime(true)
          .wrapLogMessage(true)
          .enableLogDetails(true)
          .sortOrder(LogsSortOrder.Descending),
      { width: 24, height: 10 },
      source,
    );
  }

  /** A LogQL query, e.g. `{service_name="$service"} |= "$search"`. */
  logql(query: string): this {
    this.addLokiQuery(new LokiQuery(query, captureSource()));
    return this;
  }

  protected override applyThresholdStyle(): void {}
}

/**
 * A panel of a type the builders do not model (text, heatmap, bar gauge, a plugin): its type-specific
 * options go through `verbatim`. Queries, unit, thresholds and the rest work as on any panel.
 */
export class OtherPanel extends Panel<GenericPanelBuilder> {
  readonly datasource = 'prometheus';

  constructor(
    readonly type: string,
    title: string,
    source: SourceLocation,
  ) {
    if (!/^[a-z][a-z0-9-]*$/.test(type)) {
      throw new O11yError(`"${type}" is not a Grafana panel type`, {
        source,
        hint: "e.g. 'text', 'heatmap'",
      });
    }
    super(title, () => new GenericPanelBuilder().type(type), { width: 12, height: 8 }, source);
  }

  override get needsQuery(): boolean {
    return false;
  }

  protected override applyThresholdStyle(): void {}
}
