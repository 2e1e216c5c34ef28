/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The preview end to end: a real Prometheus with an hour of data, the real renderer bundle, and real
 * headless Chromium looking at the pages it draws.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPreview } from '../src/browser.ts';
import { previewChanges } from '../src/changes.ts';
import { NO_DATA_SOURCE, PAGE_WIDTH } from '../src/collect.ts';
import type { DashboardJson } from '../src/dashboard-json.ts';
import { colouredPixels, longestRun } from '../src/inspect.ts';
import { type BuiltDashboard, type PreviewPage, preview } from '../src/preview.ts';
import { END, type FixturePrometheus, startFixturePrometheus } from './fixture-prometheus.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const REFERENCES = fileURLToPath(new URL('./references/', import.meta.url));
/** Share of pixels allowed to differ from a reference (anti-aliasing, not layout or data). */
const TOLERANCE = 0.002;

/** Share of differing pixels between two PNGs; a different size counts as entirely different. */
function pixelDifference(actual: Buffer, expected: Buffer): number {
  const a = PNG.sync.read(actual);
  const b = PNG.sync.read(expected);
  if (a.width !== b.width || a.height !== b.height) return 1;
  const differing = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
  return differing / (a.width * a.height);
}

/** A full-page screenshot without the Prometheus address, whose port changes from run to run. */
function stableScreenshot(page: Page): Promise<Buffer> {
  return page.screenshot({ fullPage: true, animations: 'disabled', mask: [page.locator('.o11y-range')] });
}

/** Compares with the reference; O11Y_UPDATE_REFERENCES=1 writes it instead. */
async function expectLikeReference(image: Buffer, name: string): Promise<void> {
  const file = path.join(REFERENCES, name);
  if (process.env.O11Y_UPDATE_REFERENCES === '1' || !existsSync(file)) {
    if (process.env.CI)
      throw new Error(
        `reference ${name} is missing; run the test with O11Y_UPDATE_REFERENCES=1 and commit it`,
      );
    await writeFile(file, image);
    return;
  }
  expect(pixelDifference(image, await readFile(file))).toBeLessThanOrEqual(TOLERANCE);
}

/** A build folder as `o11y build` writes it: the dashboards and a manifest naming them. */
async function writeBuild(dir: string, dashboards: readonly DashboardJson[]): Promise<void> {
  const artifacts = [];
  for (const json of dashboards) {
    const file = `grafana/dashboards/team/${json.uid}.json`;
    await mkdir(path.join(dir, 'grafana/dashboards/team'), { recursive: true });
    await writeFile(path.join(dir, file), JSON.stringify(json));
    artifacts.push({
      kind: 'grafana/dashboard',
      path: file,
      sha256: '',
      source: { file: 'dashboards/team.ts', line: 1, column: 1 },
    });
  }
  await writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ version: 1, profile: 'default', artifacts }),
  );
}

async function fixture(name: string): Promise<BuiltDashboard> {
  const json = JSON.parse(await readFile(path.join(FIXTURES, name), 'utf8')) as DashboardJson;
  return { uid: json.uid!, path: name, source: { file: `test/fixtures/${name}`, line: 1, column: 1 }, json };
}

/** Grafana's grid geometry, computed independently of the renderer. */
function expectedBox(gridPos: { x: number; y: number; w: number; h: number }, row: boolean) {
  const column = (PAGE_WIDTH - 8 * 23) / 24;
  return {
    left: Math.round(column * gridPos.x + 8 * gridPos.x),
    top: Math.round(30 * gridPos.y + 8 * gridPos.y),
    width: Math.round(column * gridPos.w + 8 * (gridPos.w - 1)),
    height: row ? 30 : Math.round(30 * gridPos.h + 8 * (gridPos.h - 1)),
  };
}

describe('o11y preview against a real Prometheus, in headless Chromium', () => {
  let prometheus: FixturePrometheus;
  let browser: Browser;
  let out: string;
  let pages: PreviewPage[];
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    prometheus = await startFixturePrometheus();
    out = await mkdtemp(path.join(tmpdir(), 'o11y-preview-test-'));
    pages = await preview({
      dashboards: [await fixture('service.json')],
      outDir: path.join(out, 'with-data'),
      prometheusUrl: prometheus.server.url,
      now: END,
      png: true,
    });
    browser = await launchBrowser();
    ({ page, errors } = await openPreview(
      browser,
      pathToFileURL(path.join(out, 'with-data', 'fixture-service.html')).href,
    ));
  });

  afterAll(async () => {
    await browser?.close();
    await prometheus?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('loads without console errors', () => {
    expect(errors).toEqual([]);
  });

  it('draws every panel at its grid position with its title, repeats resolved and collapsed rows expanded', async () => {
    const payload = pages[0]!.payload;
    const keys = payload.panels.map((p) => p.key);
    expect(keys).toEqual([
      'row-100',
      'panel-1',
      'panel-2',
      'panel-3',
      'panel-4',
      'panel-5',
      'panel-6',
      'row-101',
      'panel-7:a:9100',
      'panel-7:b:9100',
      'panel-7:c:9100',
      'row-102',
      'panel-8',
      'panel-9',
    ]);
    const grid = await page.locator('.o11y-grid').boundingBox();
    for (const panel of payload.panels) {
      const element = page.locator(`[data-panel="${panel.key}"]`);
      const box = await element.boundingBox();
      const expected = expectedBox(panel.gridPos, panel.row !== undefined);
      expect({
        key: panel.key,
        left: Math.round(box!.x - grid!.x),
        top: Math.round(box!.y - grid!.y),
      }).toEqual({
        key: panel.key,
        left: expected.left,
        top: expected.top,
      });
      expect(Math.round(box!.width)).toBe(expected.width);
      expect(Math.round(box!.height)).toBe(expected.height);
      expect(await element.innerText()).toContain(panel.title);
    }
    expect(payload.panels.filter((p) => p.key.startsWith('panel-7')).map((p) => p.title)).toEqual([
      'Requests on a:9100',
      'Requests on b:9100',
      'Requests on c:9100',
    ]);
    expect(await page.locator('[data-panel="row-102"]').innerText()).toContain('collapsed in Grafana');
  });

  it('draws series for panels with data, with the legend of the JSON', async () => {
    expect(await colouredPixels(page, 'panel-2')).toBeGreaterThan(500);
    expect(await colouredPixels(page, 'panel-7:b:9100')).toBeGreaterThan(200);
    const legend = await page.locator('[data-panel="panel-2"]').innerText();
    expect(legend).toMatch(/\/checkout/);
    expect(legend).toMatch(/\/search/);
    // Legend as a table with the calcs the JSON asks for.
    expect(legend).toMatch(/Mean/);
    expect(legend).toMatch(/Max/);
  });

  it('draws the finite samples of a series that has infinite ones too, as Grafana does', async () => {
    const json: DashboardJson = {
      uid: 'fixture-infinite',
      title: 'Infinite samples',
      time: { from: 'now-1h', to: 'now' },
      panels: [
        {
          id: 1,
          type: 'timeseries',
          title: 'One, or one divided by zero',
          gridPos: { x: 0, y: 0, w: 12, h: 8 },
          targets: [{ refId: 'A', expr: 'demo_up / (demo_saturation_ratio > bool 0.65)' }],
        },
      ],
    };
    const [built] = await preview({
      dashboards: [
        {
          uid: json.uid!,
          path: 'infinite.json',
          source: { file: 'infinite.json', line: 1, column: 1 },
          json,
        },
      ],
      outDir: path.join(out, 'infinite'),
      prometheusUrl: prometheus.server.url,
      now: END,
    });
    // Both kinds of samples, or the test proves nothing.
    const samples = built!.payload.panels[0]!.results.flatMap((r) =>
      r.series.flatMap((s) => s.values.map(([, v]) => v)),
    );
    expect(samples).toContain('+Inf');
    expect(samples).toContain('1');
    const { page: infinite, errors } = await openPreview(
      browser,
      pathToFileURL(path.join(out, 'infinite', built!.html)).href,
    );
    expect(errors).toEqual([]);
    expect(await colouredPixels(infinite, 'panel-1')).toBeGreaterThan(100);
    await infinite.close();
  });

  it('shows units, decimals and colours as the panel JSON says', async () => {
    const stat = await page.locator('[data-panel="panel-1"]').innerText();
    expect(stat).toMatch(/\d+\.\d{2}%/);
    const bars = await page.locator('[data-panel="panel-4"]').innerText();
    expect(bars).toMatch(/\d+\.\d req\/s/);
    const table = await page.locator('[data-panel="panel-5"]').innerText();
    for (const instance of ['a:9100', 'b:9100', 'c:9100']) expect(table).toContain(instance);
    expect(await page.locator('[data-panel="panel-6"] .o11y-text h2').innerText()).toBe('Service demo');
    // The override paints /checkout purple, Grafana's named colour #A352CC.
    expect(await longestRun(page, 'panel-2', [0xa3, 0x52, 0xcc])).toBeGreaterThan(3);
  });

  it('draws thresholds as the JSON defines them', async () => {
    // The 0.5 s threshold of the latency panel as a red line across the plot (Grafana's red #F2495C).
    expect(await longestRun(page, 'panel-2', [0xf2, 0x49, 0x5c])).toBeGreaterThan(200);
    const markers = await page
      .locator('[data-panel="panel-3"] [data-threshold]')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('data-threshold')));
    expect(markers).toEqual(['base', '0.7', '0.9']);
    expect(await page.locator('[data-panel="panel-3"]').innerText()).toMatch(/\d+(\.\d+)?%/);
  });

  it("shows a query's error on its panel, and other panel types as labelled placeholders", async () => {
    expect(await page.locator('[data-panel="panel-8"] .o11y-error').innerText()).toMatch(
      /bad_data: .*parse error/,
    );
    expect(await page.locator('[data-panel="panel-9"] [data-placeholder="piechart"]').innerText()).toContain(
      '“piechart” is not rendered',
    );
  });

  it('looks like its reference screenshot, and a moved panel does not', async () => {
    const image = await stableScreenshot(page);
    await expectLikeReference(image, 'fixture-service.png');
    // A renderer that misplaces one panel by one grid column must fail the same comparison.
    await page.addStyleTag({ content: '[data-panel="panel-3"] { transform: translateX(66px); }' });
    const broken = await stableScreenshot(page);
    await page.addStyleTag({ content: '[data-panel="panel-3"] { transform: none; }' });
    expect(pixelDifference(broken, image)).toBeGreaterThan(TOLERANCE);
    expect((await readFile(path.join(out, 'with-data', pages[0]!.png!))).subarray(1, 4).toString()).toBe(
      'PNG',
    );
  });

  it('pictures exactly the dashboards a change touches, before and after', async () => {
    const service = (await fixture('service.json')).json;
    const other: DashboardJson = { ...service, uid: 'fixture-other', title: 'Other' };
    const raised = structuredClone(service);
    const latency = raised.panels!.find((p) => p.id === 2)!;
    (latency.fieldConfig as { defaults: { thresholds: { steps: Array<{ value: number | null }> } } }).defaults
      .thresholds.steps[1]!.value = 0.7;
    await writeBuild(path.join(out, 'base'), [service, other]);
    await writeBuild(path.join(out, 'head'), [raised, other]);
    const changes = await previewChanges({
      baseDist: path.join(out, 'base'),
      headDist: path.join(out, 'head'),
      outDir: path.join(out, 'changes'),
      prometheusUrl: prometheus.server.url,
      now: END,
    });
    expect(changes).toEqual([
      {
        uid: 'fixture-service',
        title: 'Fixture service',
        change: 'changed',
        before: 'fixture-service-before.png',
        after: 'fixture-service-after.png',
      },
    ]);
    expect((await readdir(path.join(out, 'changes'))).sort()).toEqual([
      'fixture-service-after.png',
      'fixture-service-before.png',
      'preview.md',
    ]);
    const markdown = await readFile(path.join(out, 'changes', 'preview.md'), 'utf8');
    expect(markdown).toContain(
      '| ![before](fixture-service-before.png) | ![after](fixture-service-after.png) |',
    );
    const [before, after] = await Promise.all(
      ['before', 'after'].map((side) => readFile(path.join(out, 'changes', `fixture-service-${side}.png`))),
    );
    expect(pixelDifference(before!, after!)).toBeGreaterThan(0);
  });

  it('without a Prometheus, says so on every panel that queries', async () => {
    const [empty] = await preview({
      dashboards: [await fixture('service.json')],
      outDir: path.join(out, 'without-data'),
      now: END,
    });
    const opened = await openPreview(
      browser,
      pathToFileURL(path.join(out, 'without-data', empty!.html)).href,
    );
    try {
      expect(opened.errors).toEqual([]);
      const notices = await opened.page.locator('.o11y-notice').allInnerTexts();
      const querying = empty!.payload.panels.filter(
        (p) => !p.row && p.type !== 'text' && p.type !== 'piechart',
      );
      expect(notices).toEqual(querying.map(() => NO_DATA_SOURCE));
      expect(empty!.payload.dataSource).toBe('none');
      await expectLikeReference(await stableScreenshot(opened.page), 'fixture-service-no-data.png');
    } finally {
      await opened.page.close();
    }
  });
});
