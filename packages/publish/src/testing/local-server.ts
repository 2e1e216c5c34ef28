import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, listenLocal } from '@o11y/core';

/** A test service (the simulators) served by `listenLocal`; a failing handler answers 500. */
export abstract class LocalHttpService {
  url = '';
  private server: LocalServer | undefined;

  /** Listens on a free port, or on `port`; returns the URL. */
  async start(port = 0): Promise<string> {
    this.server = await listenLocal((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `simulator failure: ${String(error)}` }));
      });
    }, port);
    this.url = this.server.url;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}
