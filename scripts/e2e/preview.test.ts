/// <reference lib="dom" />
/**
 * Issue 18's "done when": `o11y preview` of the sample organisation against the end-to-end stack's real
 * Prometheus, looked at in real headless Chromium. What the panel checks of the live stack found (which
 * queries return data) is the ground truth for what the pages must draw.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDuration } from '@o11y/core';
import {
  colouredPixels,
  launchBrowser,
  loadRenderer,
  openPreview,
  type PreviewPage,
  preview,
  readBuiltDashboards,
} from '@o11y/preview';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARM_UP_MS } from './expectations.ts';
import { checkPanelQueries, type PanelQueryCheck } from './harness/dashboard-queries.ts';
import { type Stack, startStack } from './harness/stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line: string) => process.stdout.write(`${line}\n`);
/** The single-server profile is enough to draw from; the distributed one serves the same queries. */
const wanted = process.env.O11Y_E2E_PROFILES?.split(',').includes('single') ?? true;

/** `panel-7` and the repeat clones `panel-7:a:9100` are panel 7 of the JSON. */
const panelIdOf = (key: string) => Number(/^panel-(\d+)/.exec(key)?.[1]);

/**
 * The stack has run for minutes: over a dashboard's own range (30 days for SLOs) Grafana's step, and the
 * range aligned to it, would end before the first sample, and Grafana would show no data. The panel
 * checks that say which panels have data query the same range, with the same steps.
 */
const TIME_RANGE = { from: 'now-15m', to: 'now' } as const;

interface PanelJson {
  readonly type?: string;
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
}

type Values = PreviewPage['payload']['panels'][number]['results'][number]['series'][number]['values'];

/**
 * Whether a line can be drawn: two numbers at neighbouring steps of one series. A ratio of zeros or a
 * quantile of nothing is NaN, and a lone number between NaNs is a point Grafana does not show on a
 * dense line (points are drawn only when there are few), so a rarely called service's p95 may draw
 * nothing at all.
 */
function hasSegment(values: Values): boolean {
  const times = values.map(([t]) => t);
  const step = Math.min(...times.slice(1).map((t, i) => t - times[i]!));
  return values.some(
    ([t, v], i) =>
      i > 0 &&
      Number.isFinite(Number(v)) &&
      Number.isFinite(Number(values[i - 1]![1])) &&
      t - values[i - 1]![0] <= step,
  );
}

const drawable = (results: PreviewPage['payload']['panels'][number]['results']) =>
  results.some((r) => r.series.some((s) => hasSegment(s.values)));

/** What the browser showed of every page, gathered in one visit per page. */
interface Seen {
  readonly consoleErrors: string[];
  readonly missingTitles: string[];
  /** Panels with data on the stack that the page drew as "No data" or an error, or without a series. */
  readonly dataProblems: string[];
  /** Time series panels with coloured pixels of series. */
  plotted: number;
  /** Stat panels in percentunit or seconds, with the text after their title. */
  readonly unitTexts: Array<{ readonly where: string; readonly unit: string; readonly text: string }>;
}

describe.runIf(wanted)('the sample organisation drawn by o11y preview from the live stack', () => {
  let stack: Stack;
  let out: string;
  let pages: PreviewPage[];
  let stackStartedAt: number;
  /** `uid/panel id` → the minimum intervals (steps) the panel and its queries set. */
  const intervals = new Map<string, string[]>();
  const seen: Seen = { consoleErrors: [], missingTitles: [], dataProblems: [], plotted: 0, unitTexts: [] };

  beforeAll(async () => {
    stack = await startStack(root, log, 'single');
    stackStartedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    const checks = await checkPanelQueries(
      stack.model.dashboards,
      {
        prometheus: stack.query,
        grafana: (await loadRenderer()).grafana,
        scrapeInterval: stack.grafanaScrapeInterval,
        now: Date.now(),
        timeRange: TIME_RANGE,
        alignToStep: true,
      },
      'default',
    );
    const byPanel = new Map<string, PanelQueryCheck[]>();
    for (const check of checks.filter((c) => c.outcome !== 'skipped')) {
      const key = `${check.dashboardUid}/${check.panelId}`;
      byPanel.set(key, [...(byPanel.get(key) ?? []), check]);
    }
    const withData = new Set(
      [...byPanel].filter(([, all]) => all.every((c) => c.outcome === 'data')).map(([key]) => key),
    );
    out = await mkdtemp(path.join(tmpdir(), 'o11y-e2e-preview-'));
    const dashboards = await readBuiltDashboards(stack.distDir);
    for (const { uid, json } of dashboards) {
      for (const panel of (json.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])])) {
        const own = [panel.interval, ...(panel.targets ?? []).map((t) => t.interval)];
        intervals.set(
          `${uid}/${panel.id}`,
          own.filter((i): i is string => typeof i === 'string' && i !== ''),
        );
      }
    }
    pages = await preview({
      dashboards,
      outDir: out,
      prometheusUrl: stack.query.url,
      ...TIME_RANGE,
      scrapeInterval: stack.grafanaScrapeInterval,
    });
    const browser = await launchBrowser();
    try {
      for (const built of pages) await look(browser, built, withData);
    } finally {
      await browser.close();
    }
    log(
      `e2e: ${pages.length} dashboards drawn by o11y preview, ${withData.size} panels with data on the stack, ${seen.plotted} time series plotted, ${Math.round((Date.now() - stackStartedAt) / 1000)} s after the stack started`,
    );
  }, 420_000);

  /** Visits one page and notes what it shows. */
  async function look(browser: Browser, built: PreviewPage, withData: ReadonlySet<string>): Promise<void> {
    const { page, errors } = await openPreview(browser, pathToFileURL(path.join(out, built.html)).href);
    seen.consoleErrors.push(...errors.map((e) => `${built.uid}: ${e}`));
    for (const panel of built.payload.panels) {
      const element = page.locator(`[data-panel="${panel.key}"]`);
      const text = (await element.textContent()) ?? '';
      if (!text.includes(panel.title))
        seen.missingTitles.push(`${built.uid} › ${panel.key}: "${panel.title}"`);
      if (panel.row || !withData.has(`${built.uid}/${panelIdOf(panel.key)}`)) continue;
      // A panel whose minimum interval is longer than the stack has run has no step yet: Grafana aligns the
      // range to the step, so its points all fall before the first sample (e.g. revenue per 1h).
      const minIntervals = intervals.get(`${built.uid}/${panelIdOf(panel.key)}`) ?? [];
      if (minIntervals.some((i) => parseDuration(i) > Date.now() - stackStartedAt)) continue;
      const where = `${built.uid} › "${panel.title}" (${panel.type})`;
      if ((await element.locator('.o11y-notice, .o11y-error').count()) > 0) {
        seen.dataProblems.push(`${where}: ${text}`);
      } else if (panel.type === 'timeseries' && drawable(panel.results)) {
        if ((await colouredPixels(page, panel.key)) === 0)
          seen.dataProblems.push(`${where}: no series drawn`);
        else seen.plotted += 1;
      }
      const unit = (panel.json as PanelJson).fieldConfig?.defaults?.unit ?? '';
      if (panel.type === 'stat' && ['percentunit', 's'].includes(unit)) {
        seen.unitTexts.push({
          where,
          unit,
          text: text.slice(text.indexOf(panel.title) + panel.title.length),
        });
      }
    }
    await page.close();
  }

  afterAll(async () => {
    await stack?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  }, 60_000);

  it('draws every dashboard the build wrote, each panel with its title, without console errors', () => {
    expect(pages.map((p) => p.uid).sort()).toEqual(stack.model.dashboards.map((d) => d.uid).sort());
    expect(seen.consoleErrors, seen.consoleErrors.join('\n')).toEqual([]);
    expect(seen.missingTitles, seen.missingTitles.join('\n')).toEqual([]);
  });

  it('draws data, never "No data", on every panel whose queries returned data on the stack', () => {
    // The problems in the message too: a CI log may keep only the failure line, not the diff.
    expect(seen.dataProblems, seen.dataProblems.join('\n')).toEqual([]);
    expect(seen.plotted, 'time series drawn with coloured pixels').toBeGreaterThan(50);
  });

  it('shows the units of the panel JSON: ratios as %, durations in s or ms', () => {
    expect(seen.unitTexts.length, 'stat panels in percentunit or seconds with data').toBeGreaterThan(5);
    for (const { where, unit, text } of seen.unitTexts) {
      expect(text, `${where} in ${unit}`).toMatch(
        unit === 'percentunit' ? /\d%/ : /\d ?(ns|µs|ms|s|min|hour|day)\b/,
      );
    }
  });
});
