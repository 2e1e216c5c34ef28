/**
 * What the Node side hands the page: the laid-out panels of one dashboard with their query results.
 * Declared once here and imported by the Node side as a type, so both sides agree.
 */

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

/** One Prometheus series: its labels and [seconds, "value"] pairs, as the HTTP API returns them. */
export interface SeriesResult {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<readonly [number, string]>;
}

export interface QueryResult {
  readonly refId: string;
  /** The query as sent, after Grafana's substitutions. */
  readonly expr: string;
  readonly legendFormat?: string;
  /** `table` for instant or table-formatted queries; `time_series` otherwise. */
  readonly format: 'time_series' | 'table';
  readonly series: readonly SeriesResult[];
  readonly error?: string;
}

export interface PlacedPanel {
  /** Unique on the page: the panel id, plus the repeated value for repeat clones. */
  readonly key: string;
  readonly gridPos: GridPos;
  readonly type: string;
  /** Title and description after variable substitution (including a repeat's own value). */
  readonly title: string;
  readonly description: string;
  readonly links: readonly PanelLink[];
  /** The panel's own JSON (fieldConfig, options), untouched. */
  readonly json: Readonly<Record<string, unknown>>;
  /** A row header, and whether Grafana shows it collapsed (the preview shows its panels anyway). */
  readonly row?: { readonly collapsed: boolean };
  readonly results: readonly QueryResult[];
  /** Why the panel has no data at all: no Prometheus given. */
  readonly notice?: string;
}

export interface PreviewPayload {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly links: readonly PanelLink[];
  readonly timeRange: {
    readonly from: number;
    readonly to: number;
    readonly raw: { from: string; to: string };
  };
  readonly timezone: string;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly label: string; readonly text: string }>;
  readonly panels: readonly PlacedPanel[];
  /** Where the data came from, without credentials: `none` or the Prometheus origin. */
  readonly dataSource: string;
}
