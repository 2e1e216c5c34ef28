/**
 * Before/after pictures of the dashboards two builds disagree on (`o11y diff --preview DIR`): a PNG
 * per side of every changed, added or removed dashboard, and `preview.md`, a Markdown section that
 * embeds them for a pull request. Unchanged dashboards are not rendered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareCodePoints, O11yError, stagingDirFor, swapDirectory, writeFileAtomic } from '@o11y/core';
import { launchBrowser, screenshot } from './browser.ts';
import { type BuiltDashboard, readBuiltDashboards, renderDashboards } from './preview.ts';
import { loadRenderer } from './renderer.ts';

export interface ChangedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly change: 'changed' | 'added' | 'removed';
  /** File names inside the output folder. */
  readonly before?: string;
  readonly after?: string;
}

export interface ChangesOptions {
  readonly baseDist: string;
  readonly headDist: string;
  readonly outDir: string;
  readonly prometheusUrl?: string;
  readonly from?: string;
  readonly to?: string;
  readonly now?: number;
}

/** Dashboards whose built JSON differs between the two builds, by uid. */
export function changedDashboards(
  base: readonly BuiltDashboard[],
  head: readonly BuiltDashboard[],
): Array<{ uid: string; before?: BuiltDashboard; after?: BuiltDashboard }> {
  const uids = [...new Set([...base, ...head].map((d) => d.uid))].sort(compareCodePoints);
  return uids.flatMap((uid) => {
    const before = base.find((d) => d.uid === uid);
    const after = head.find((d) => d.uid === uid);
    if (before && after && JSON.stringify(before.json) === JSON.stringify(after.json)) return [];
    return [{ uid, ...(before && { before }), ...(after && { after }) }];
  });
}

function markdownOf(changes: readonly ChangedDashboard[]): string {
  if (changes.length === 0) return '### Dashboard previews\n\nNo dashboard changed.\n';
  const sections = changes.map((c) => {
    const cell = (file: string | undefined, label: string) =>
      file ? `![${label}](${encodeURI(file)})` : `_${label}: none_`;
    return `#### ${c.title} (\`${c.uid}\`, ${c.change})\n\n| Before | After |\n|---|---|\n| ${cell(c.before, 'before')} | ${cell(c.after, 'after')} |\n`;
  });
  return `### Dashboard previews\n\n${sections.join('\n')}`;
}

export async function previewChanges(options: ChangesOptions): Promise<ChangedDashboard[]> {
  const pairs = changedDashboards(
    await readBuiltDashboards(options.baseDist),
    await readBuiltDashboards(options.headDist),
  );
  const bundle = await loadRenderer();
  const staging = await stagingDirFor(options.outDir);
  const pages = await mkdtemp(path.join(tmpdir(), 'o11y-preview-pages-'));
  const browser = pairs.length > 0 ? await launchBrowser() : undefined;
  try {
    const changes: ChangedDashboard[] = [];
    const common = {
      ...(options.prometheusUrl && { prometheusUrl: options.prometheusUrl }),
      ...(options.from && { from: options.from }),
      ...(options.to && { to: options.to }),
      // Both sides at the same instant, so only the change differs between the pictures.
      now: options.now ?? Date.now(),
    };
    for (const pair of pairs) {
      let title = pair.uid;
      const files: { before?: string; after?: string } = {};
      for (const side of ['before', 'after'] as const) {
        const dashboard = pair[side];
        if (!dashboard || !browser) continue;
        const [rendered] = await renderDashboards({ ...common, dashboards: [dashboard] }, bundle);
        const html = path.join(pages, `${pair.uid}-${side}.html`);
        await writeFileAtomic(html, rendered!.html);
        const name = `${pair.uid}-${side}.png`;
        await writeFileAtomic(path.join(staging, name), await screenshot(browser, pathToFileURL(html).href));
        files[side] = name;
        title = rendered!.payload.title;
      }
      const change = !pair.before ? 'added' : !pair.after ? 'removed' : 'changed';
      changes.push({ uid: pair.uid, title, change, ...files });
    }
    await writeFileAtomic(path.join(staging, 'preview.md'), markdownOf(changes));
    await swapDirectory(staging, options.outDir);
    return changes;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error instanceof O11yError
      ? error
      : new O11yError(`dashboard previews failed: ${String(error)}`, { id: 'preview/changes' });
  } finally {
    await browser?.close();
    await rm(pages, { recursive: true, force: true });
  }
}
