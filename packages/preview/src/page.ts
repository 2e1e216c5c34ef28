/**
 * A self-contained HTML page: the renderer's script and styles inline, the payload as JSON, nothing
 * fetched from anywhere. The same payload always gives the same bytes.
 */
import type { PreviewPayload } from '../renderer/src/payload.ts';
import { PAGE_WIDTH } from './collect.ts';
import type { RendererBundle } from './renderer.ts';

/** The page's own frame around Grafana's components: background, grid container, notices. */
const PAGE_CSS = `
body { margin: 0; background: #111217; color: #ccccdc; font-family: Inter, Helvetica, Arial, sans-serif; }
.o11y-dashboard { padding: 16px; width: ${PAGE_WIDTH}px; }
.o11y-header h1 { font-size: 22px; font-weight: 500; margin: 0 0 8px; }
.o11y-meta { display: flex; flex-wrap: wrap; gap: 16px; font-size: 12px; color: #9fa7b3; margin-bottom: 12px; }
.o11y-variable b { color: #ccccdc; font-weight: 500; margin-right: 6px; }
.o11y-grid { position: relative; }
.o11y-panel, .o11y-row { position: absolute; box-sizing: border-box; }
.o11y-row { display: flex; align-items: center; gap: 12px; font-size: 16px; font-weight: 500; border-bottom: 1px solid #2c3235; }
.o11y-row-note { font-size: 11px; font-weight: 400; color: #9fa7b3; }
.o11y-placeholder, .o11y-notice, .o11y-error { display: flex; flex-direction: column; align-items: center; justify-content: center; height: 100%; text-align: center; font-size: 13px; color: #9fa7b3; padding: 8px; box-sizing: border-box; }
.o11y-placeholder { border: 1px dashed #464c54; }
.o11y-error { color: #ff5286; }
.o11y-links a { font-size: 12px; margin-left: 8px; color: #6e9fff; }
.o11y-text { overflow: auto; height: 100%; }
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside <script>: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderPage(
  payload: PreviewPayload,
  bundle: RendererBundle,
  options: { liveReload?: string } = {},
): string {
  const reload = options.liveReload
    ? `<script>new EventSource(${scriptJson(options.liveReload)}).onmessage = () => location.reload();</script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(payload.title)} · o11y preview</title>
<style>${bundle.css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<div id="o11y-preview" data-width="${PAGE_WIDTH}"></div>
<script type="application/json" id="o11y-preview-data">${scriptJson(payload)}</script>
<script>${bundle.script.replace(/<\/script/gi, '<\\/script')}</script>
${reload}
</body>
</html>
`;
}
