import { builderSource } from './from-build.ts';
import { GaugePanel, LogsPanel, OtherPanel, StatPanel, TablePanel, TimeseriesPanel } from './panel.ts';

/** A graph over time. */
export function timeseries(title: string): TimeseriesPanel {
  return new TimeseriesPanel(title, builderSource());
}

/** One big number (the last value), coloured by its thresholds. */
export function stat(title: string): StatPanel {
  return new StatPanel(title, builderSource());
}

/** A dial between a minimum and a maximum, with threshold markers. */
export function gauge(title: string): GaugePanel {
  return new GaugePanel(title, builderSource());
}

/** One row per series, columns per label. */
export function table(title: string): TablePanel {
  return new TablePanel(title, builderSource());
}

/** Log lines from Loki. */
export function logs(title: string): LogsPanel {
  return new LogsPanel(title, builderSource());
}

/** A panel of another Grafana type (`'text'`, `'heatmap'`, …), its options given through `.verbatim()`. */
export function panel(type: string, title: string): OtherPanel {
  return new OtherPanel(type, title, builderSource());
}
