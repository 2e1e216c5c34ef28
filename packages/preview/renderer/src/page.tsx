/**
 * The preview page: reads the payload the Node side embedded, lays the panels out on Grafana's
 * 24-column grid and draws each in Grafana's panel chrome. Sets `data-preview-state` on <body> to
 * `ready` once every panel has drawn, so screenshots and tests know when to look.
 */

import icons from 'o11y:icons';
import { createTheme, dateTime, type InterpolateFunction, type TimeRange } from '@grafana/data';
import { GlobalStyles, PanelChrome, ThemeContext } from '@grafana/ui';
import { type ReactNode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { framesOf } from './frames.ts';
import { PANELS, type PanelContext, WITHOUT_DATA } from './panels.tsx';
import type { PlacedPanel, PreviewPayload } from './payload.ts';

/** Grafana's grid: 24 columns, 30 px rows, 8 px gaps (GRID_CELL_HEIGHT, GRID_CELL_VMARGIN). */
const COLUMNS = 24;
const ROW_HEIGHT = 30;
const GAP = 8;
const ROW_HEADER_HEIGHT = 30;

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** react-grid-layout's geometry, which Grafana's dashboard grid uses. */
function boxOf(panel: PlacedPanel, containerWidth: number): Box {
  const column = (containerWidth - GAP * (COLUMNS - 1)) / COLUMNS;
  const { x, y, w, h } = panel.gridPos;
  return {
    left: Math.round(column * x + GAP * x),
    top: Math.round(ROW_HEIGHT * y + GAP * y),
    width: Math.round(column * w + GAP * (w - 1)),
    height: panel.row ? ROW_HEADER_HEIGHT : Math.round(ROW_HEIGHT * h + GAP * (h - 1)),
  };
}

function Notice(props: { kind: 'error' | 'notice'; children: ReactNode }) {
  return <div className={`o11y-${props.kind}`}>{props.children}</div>;
}

function PanelBody(props: {
  panel: PlacedPanel;
  width: number;
  height: number;
  timeRange: TimeRange;
  replaceVariables: InterpolateFunction;
}) {
  const { panel } = props;
  const theme = createTheme({ colors: { mode: 'dark' } });
  const draw = PANELS[panel.type];
  if (!draw) {
    return (
      <div className="o11y-placeholder" data-placeholder={panel.type}>
        Panel type “{panel.type}” is not rendered by the preview
      </div>
    );
  }
  if (!WITHOUT_DATA.has(panel.type)) {
    if (panel.notice) return <Notice kind="notice">{panel.notice}</Notice>;
    const errors = panel.results.filter((r) => r.error !== undefined);
    const frames = framesOf(panel.results.filter((r) => r.error === undefined));
    if (frames.length === 0) {
      return errors.length > 0 ? (
        <Notice kind="error">
          {errors.map((e) => (
            <div key={e.refId}>
              {e.refId}: {e.error}
            </div>
          ))}
        </Notice>
      ) : (
        <Notice kind="notice">No data</Notice>
      );
    }
    const context: PanelContext = { ...props, frames, json: panel.json, theme };
    return <>{draw(context)}</>;
  }
  return <>{draw({ ...props, frames: [], json: panel.json, theme })}</>;
}

function PanelLinks(props: { panel: PlacedPanel }) {
  if (props.panel.links.length === 0) return null;
  return (
    <span className="o11y-links">
      {props.panel.links.map((link) => (
        <a key={`${link.title}${link.url}`} href={link.url} title={link.url}>
          {link.title || link.url}
        </a>
      ))}
    </span>
  );
}

function Panel(props: {
  panel: PlacedPanel;
  box: Box;
  timeRange: TimeRange;
  replaceVariables: InterpolateFunction;
}) {
  const { panel, box } = props;
  const errors = panel.results.filter((r) => r.error !== undefined);
  const style = { left: box.left, top: box.top, width: box.width, height: box.height };
  if (panel.row) {
    return (
      <div
        className="o11y-row"
        style={style}
        data-panel={panel.key}
        data-grid={JSON.stringify(panel.gridPos)}
      >
        <span className="o11y-row-title">{panel.title}</span>
        {panel.row.collapsed ? (
          <span className="o11y-row-note">collapsed in Grafana, expanded here</span>
        ) : null}
      </div>
    );
  }
  return (
    <div
      className="o11y-panel"
      style={style}
      data-panel={panel.key}
      data-type={panel.type}
      data-grid={JSON.stringify(panel.gridPos)}
    >
      <PanelChrome
        width={box.width}
        height={box.height}
        title={panel.title}
        description={panel.description || undefined}
        titleItems={<PanelLinks panel={panel} />}
        statusMessage={errors.length > 0 ? errors.map((e) => `${e.refId}: ${e.error}`).join('\n') : undefined}
      >
        {(width, height) => (
          <PanelBody
            panel={panel}
            width={width}
            height={height}
            timeRange={props.timeRange}
            replaceVariables={props.replaceVariables}
          />
        )}
      </PanelChrome>
    </div>
  );
}

function Dashboard(props: { payload: PreviewPayload; width: number }) {
  const { payload } = props;
  const timeRange: TimeRange = {
    from: dateTime(payload.timeRange.from),
    to: dateTime(payload.timeRange.to),
    raw: payload.timeRange.raw,
  };
  const values = new Map(payload.variables.map((v) => [v.name, v.text]));
  // Titles and queries arrive substituted; this covers what panels interpolate while drawing (text, links).
  const replaceVariables: InterpolateFunction = (text) =>
    text.replace(
      /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g,
      (match, braced?: string, plain?: string) => values.get((braced ?? plain)!) ?? match,
    );
  const boxes = payload.panels.map((panel) => boxOf(panel, props.width));
  const height = Math.max(0, ...boxes.map((b) => b.top + b.height));
  useEffect(() => {
    // Two frames: React commits, then uPlot and the canvases paint.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => document.body.setAttribute('data-preview-state', 'ready')),
    );
  }, []);
  return (
    <div className="o11y-dashboard">
      <header className="o11y-header">
        <h1>{payload.title}</h1>
        <div className="o11y-meta">
          {payload.variables.map((v) => (
            <span key={v.name} className="o11y-variable">
              <b>{v.label}</b> {v.text}
            </span>
          ))}
          <span className="o11y-range">
            {payload.timeRange.raw.from} → {payload.timeRange.raw.to} (UTC) · data: {payload.dataSource}
          </span>
        </div>
      </header>
      <div className="o11y-grid" style={{ width: props.width, height }}>
        {payload.panels.map((panel, index) => (
          <Panel
            key={panel.key}
            panel={panel}
            box={boxes[index]!}
            timeRange={timeRange}
            replaceVariables={replaceVariables}
          />
        ))}
      </div>
    </div>
  );
}

/**
 * @grafana/ui fetches icons from Grafana's server (`…/build/img/icons/<set>/<name>.svg`); the page
 * answers those requests from the icons bundled with it.
 */
function serveBundledIcons(): void {
  const original = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const icon = /build\/img\/icons\/(.+\.svg)$/.exec(url)?.[1];
    if (icon === undefined) return original(input, init);
    const svg = icons[icon];
    return Promise.resolve(
      svg === undefined
        ? new Response('', { status: 404 })
        : new Response(svg, { status: 200, headers: { 'content-type': 'image/svg+xml' } }),
    );
  };
}

serveBundledIcons();
const data = document.getElementById('o11y-preview-data');
const mount = document.getElementById('o11y-preview');
if (data && mount) {
  const payload = JSON.parse(data.textContent ?? '{}') as PreviewPayload;
  const theme = createTheme({ colors: { mode: 'dark' } });
  const width = Number(mount.getAttribute('data-width') ?? '1600');
  createRoot(mount).render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <Dashboard payload={payload} width={width} />
    </ThemeContext.Provider>,
  );
}
