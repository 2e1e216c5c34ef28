export type { PlacedPanel, PreviewPayload, QueryResult } from '../renderer/src/payload.ts';
export { CHROMIUM_HINT, chromiumPath, launchBrowser, openPreview, screenshot } from './browser.ts';
export { type ChangedDashboard, type ChangesOptions, changedDashboards, previewChanges } from './changes.ts';
export { NO_DATA_SOURCE, PAGE_WIDTH, panelWidthPx } from './collect.ts';
export type { DashboardJson, PanelJson } from './dashboard-json.ts';
export { type DevOptions, type DevSession, type ImportModule, type Rebuild, startDev } from './dev.ts';
export { colouredPixels, longestRun } from './inspect.ts';
export { type LaidOutPanel, layoutDashboard } from './layout.ts';
export { renderPage } from './page.ts';
export {
  type BuiltDashboard,
  type PreviewOptions,
  type PreviewPage,
  preview,
  readBuiltDashboards,
  renderDashboards,
  selectDashboards,
} from './preview.ts';
export { PrometheusClient } from './prometheus.ts';
export {
  DEFAULT_SCRAPE_INTERVAL,
  type QueryTiming,
  queryTiming,
  resolveTime,
  type TimeRangeMs,
} from './query-timing.ts';
export { type GrafanaData, loadRenderer, RENDERER_DIR, RENDERER_SETUP_HINT } from './renderer.ts';
export {
  formatValue,
  interpolateText,
  resolveVariables,
  type VariableChoice,
  type VariableSelection,
} from './variables.ts';
