/**
 * The `o11y dev` server: the preview pages from memory on 127.0.0.1, and a server-sent event stream
 * on which every page learns that it changed and reloads itself.
 */
import type { ServerResponse } from 'node:http';
import { type LocalServer, listenLocal } from '@o11y/core';

/** The path of the live-reload event stream; pages subscribe with their own uid. */
export const EVENTS_PATH = '/events';

export interface DevServer {
  readonly url: string;
  /** Replaces the pages and tells the open pages of the changed uids to reload. */
  update(pages: ReadonlyMap<string, string>, changed: readonly string[]): void;
  stop(): Promise<void>;
}

function indexPage(pages: ReadonlyMap<string, string>): string {
  const items = [...pages.keys()]
    .map((uid) => `<li><a href="/${encodeURIComponent(uid)}.html">${uid}</a></li>`)
    .join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>o11y dev</title></head><body style="font-family: sans-serif"><h1>Dashboards</h1><ul>\n${items}\n</ul></body></html>\n`;
}

export async function startDevServer(): Promise<DevServer> {
  let pages: ReadonlyMap<string, string> = new Map();
  const listeners = new Set<{ uid: string; response: ServerResponse }>();
  const server: LocalServer = await listenLocal((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === EVENTS_PATH) {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      const listener = { uid: url.searchParams.get('uid') ?? '', response };
      listeners.add(listener);
      request.on('close', () => listeners.delete(listener));
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(indexPage(pages));
      return;
    }
    const uid = decodeURIComponent(url.pathname.replace(/^\//, '').replace(/\.html$/, ''));
    const page = pages.get(uid);
    if (page === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no dashboard ${uid}\n`);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(page);
  });
  return {
    url: server.url,
    update(next, changed) {
      pages = next;
      for (const listener of listeners) {
        if (changed.includes(listener.uid))
          listener.response.write(`data: ${JSON.stringify(listener.uid)}\n\n`);
      }
    },
    async stop() {
      for (const listener of listeners) listener.response.end();
      await server.stop();
    },
  };
}
