/**
 * The `o11y dev` loop: build once, serve the preview, and on every save rebuild in the same process
 * (the organisation's modules re-imported, the packages kept warm, no verifiers), re-render only the
 * dashboards whose JSON changed and reload their open pages. A failed rebuild keeps the last pages.
 */
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { enableTypeScript } from '@o11y/core';
import { type DevServer, startDevServer } from './dev-server.ts';
import { freshModules } from './fresh-modules.ts';
import { type BuiltDashboard, readBuiltDashboards, renderDashboards } from './preview.ts';
import { loadRenderer } from './renderer.ts';

export type ImportModule = (file: string) => Promise<Record<string, unknown>>;

export interface DevOptions {
  /** Folders (and files) whose modules define the organisation; watched and re-imported. */
  readonly watch: readonly string[];
  /** Builds the organisation with the given importer into a folder and returns it. */
  readonly build: (importModule: ImportModule) => Promise<string>;
  readonly prometheusUrl?: string;
  readonly from?: string;
  readonly to?: string;
  /** Without a server (benchmarks): rebuild and render only. */
  readonly serve?: boolean;
}

export interface Rebuild {
  readonly ms: number;
  /** Uids of the dashboards whose pages changed (added, changed or removed). */
  readonly changed: readonly string[];
}

export interface DevSession {
  readonly url: string | undefined;
  rebuild(): Promise<Rebuild>;
  /** Rebuilds on every change under the watched folders; `report` hears each outcome. */
  watch(report: (outcome: Rebuild | { error: unknown }) => void): void;
  stop(): Promise<void>;
}

/** Changes within this many ms are one save (editors write files in several steps). */
const SETTLE_MS = 40;

export async function startDev(options: DevOptions): Promise<DevSession> {
  const bundle = await loadRenderer();
  // tsx is registered before the generation hook: the hook registered last resolves first, then hands on to tsx.
  await enableTypeScript();
  const modules = freshModules(options.watch);
  const server: DevServer | undefined = options.serve === false ? undefined : await startDevServer();
  let dashboards = new Map<string, string>();
  let pages = new Map<string, string>();
  const watchers: FSWatcher[] = [];

  async function rebuild(): Promise<Rebuild> {
    const started = performance.now();
    modules.next();
    const built = await readBuiltDashboards(await options.build((file) => modules.import(file)));
    const next = new Map(built.map((d) => [d.uid, JSON.stringify(d.json)]));
    const changedBuilds: BuiltDashboard[] = built.filter((d) => dashboards.get(d.uid) !== next.get(d.uid));
    const removed = [...dashboards.keys()].filter((uid) => !next.has(uid));
    const rendered = await renderDashboards(
      {
        dashboards: changedBuilds,
        ...(options.prometheusUrl && { prometheusUrl: options.prometheusUrl }),
        ...(options.from && { from: options.from }),
        ...(options.to && { to: options.to }),
      },
      bundle,
      true,
    );
    const nextPages = new Map([...pages].filter(([uid]) => next.has(uid)));
    for (const page of rendered) nextPages.set(page.dashboard.uid, page.html);
    dashboards = next;
    pages = nextPages;
    const changed = [...changedBuilds.map((d) => d.uid), ...removed];
    server?.update(pages, changed);
    return { ms: performance.now() - started, changed };
  }

  await rebuild();
  return {
    url: server?.url,
    rebuild,
    watch(report) {
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<void> = Promise.resolve();
      const schedule = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          running = running.then(() => rebuild().then(report, (error: unknown) => report({ error })));
        }, SETTLE_MS);
      };
      for (const folder of options.watch.filter((f) => existsSync(f))) {
        watchers.push(watch(folder, { recursive: true }, schedule));
      }
    },
    async stop() {
      for (const watcher of watchers) watcher.close();
      await server?.stop();
    },
  };
}
