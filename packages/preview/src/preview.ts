/**
 * `o11y preview`: one self-contained HTML page per built dashboard (and a PNG of it with `png`),
 * written into a staging folder and swapped into place, so a failure leaves the previous preview.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  compareCodePoints,
  O11yError,
  type SourceLocation,
  stagingDirFor,
  swapDirectory,
  writeFileAtomic,
} from '@o11y/core';
import type { PreviewPayload } from '../renderer/src/payload.ts';
import { launchBrowser, screenshot } from './browser.ts';
import { collectDashboard } from './collect.ts';
import type { DashboardJson } from './dashboard-json.ts';
import { renderPage } from './page.ts';
import { PrometheusClient } from './prometheus.ts';
import { loadRenderer, type RendererBundle } from './renderer.ts';

/** The manifest kind of dashboard artifacts in dist/. */
const DASHBOARD_KIND = 'grafana/dashboard';

export interface BuiltDashboard {
  readonly uid: string;
  /** Path under dist/. */
  readonly path: string;
  readonly source: SourceLocation;
  readonly json: DashboardJson;
}

/** Every dashboard of a build, from its manifest, sorted by uid. */
export async function readBuiltDashboards(distDir: string): Promise<BuiltDashboard[]> {
  let manifest: { artifacts?: Array<{ kind: string; path: string; source: SourceLocation }> };
  try {
    manifest = JSON.parse(await readFile(path.join(distDir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    throw new O11yError(`${distDir} holds no build (manifest.json is missing or unreadable)`, {
      id: 'preview/no-build',
      hint: 'run `npx o11y build` first',
    });
  }
  const dashboards: BuiltDashboard[] = [];
  for (const artifact of manifest.artifacts ?? []) {
    if (artifact.kind !== DASHBOARD_KIND) continue;
    const json = JSON.parse(await readFile(path.join(distDir, artifact.path), 'utf8')) as DashboardJson;
    dashboards.push({
      uid: json.uid ?? path.basename(artifact.path, '.json'),
      path: artifact.path,
      source: artifact.source,
      json,
    });
  }
  return dashboards.sort((a, b) => compareCodePoints(a.uid, b.uid));
}

export interface PreviewOptions {
  readonly dashboards: readonly BuiltDashboard[];
  readonly outDir: string;
  readonly prometheusUrl?: string;
  readonly from?: string;
  readonly to?: string;
  /** Pinned "now" in ms (default: the clock). */
  readonly now?: number;
  readonly scrapeInterval?: string;
  readonly png?: boolean;
  readonly log?: (line: string) => void;
}

export interface PreviewPage {
  readonly uid: string;
  readonly title: string;
  readonly html: string;
  readonly png?: string;
  readonly payload: PreviewPayload;
}

/** Picks dashboards by uid; an unknown uid is an error that lists the known ones. */
export function selectDashboards(
  all: readonly BuiltDashboard[],
  uids: readonly string[] | undefined,
): BuiltDashboard[] {
  if (!uids || uids.length === 0) return [...all];
  const unknown = uids.filter((uid) => !all.some((d) => d.uid === uid));
  if (unknown.length > 0) {
    throw new O11yError(`no built dashboard has the uid ${unknown.join(', ')}`, {
      id: 'preview/unknown-dashboard',
      hint: `built dashboards: ${all.map((d) => d.uid).join(', ')}`,
    });
  }
  return all.filter((d) => uids.includes(d.uid));
}

function indexPage(pages: readonly PreviewPage[]): string {
  const items = pages
    .map(
      (p) =>
        `<li><a href="${encodeURIComponent(p.uid)}.html">${p.title.replace(/</g, '&lt;')}</a> <code>${p.uid}</code></li>`,
    )
    .join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>o11y preview</title></head>\n<body style="font-family: sans-serif"><h1>Dashboards</h1><ul>\n${items}\n</ul></body></html>\n`;
}

/** The payloads and pages of the given dashboards, not yet written anywhere. */
export async function renderDashboards(
  options: Omit<PreviewOptions, 'outDir' | 'png'>,
  bundle: RendererBundle,
  liveReload?: string,
): Promise<Array<{ dashboard: BuiltDashboard; payload: PreviewPayload; html: string }>> {
  const prometheus = options.prometheusUrl ? new PrometheusClient(options.prometheusUrl) : undefined;
  const now = options.now ?? Date.now();
  const rendered = [];
  for (const dashboard of options.dashboards) {
    const payload = await collectDashboard(dashboard.json, {
      grafana: bundle.grafana,
      ...(prometheus && { prometheus }),
      from: options.from ?? dashboard.json.time?.from ?? 'now-6h',
      to: options.to ?? dashboard.json.time?.to ?? 'now',
      now,
      ...(options.scrapeInterval && { scrapeInterval: options.scrapeInterval }),
    });
    rendered.push({
      dashboard,
      payload,
      html: renderPage(payload, bundle, liveReload ? { liveReload } : {}),
    });
  }
  return rendered;
}

export async function preview(options: PreviewOptions): Promise<PreviewPage[]> {
  const log = options.log ?? (() => {});
  const bundle = await loadRenderer(log);
  const rendered = await renderDashboards(options, bundle);
  const staging = await stagingDirFor(options.outDir);
  try {
    const pages: PreviewPage[] = [];
    for (const { dashboard, payload, html } of rendered) {
      const file = path.join(staging, `${dashboard.uid}.html`);
      await writeFileAtomic(file, html);
      pages.push({ uid: dashboard.uid, title: payload.title, html: `${dashboard.uid}.html`, payload });
    }
    await writeFileAtomic(path.join(staging, 'index.html'), indexPage(pages));
    if (options.png) {
      const browser = await launchBrowser();
      try {
        for (const [index, page] of pages.entries()) {
          const image = await screenshot(browser, pathToFileURL(path.join(staging, page.html)).href);
          await writeFileAtomic(path.join(staging, `${page.uid}.png`), image);
          pages[index] = { ...page, png: `${page.uid}.png` };
          log(`preview: ${page.uid}.png`);
        }
      } finally {
        await browser.close();
      }
    }
    await swapDirectory(staging, options.outDir);
    return pages;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
