import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a port the OS picks; `stop` drops open connections and closes it. */
export async function listenLocal(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A test service (the simulators) served by `listenLocal`; a failing handler answers 500. */
export abstract class LocalHttpService {
  url = '';
  private server: LocalServer | undefined;

  async start(): Promise<string> {
    this.server = await listenLocal((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `simulator failure: ${String(error)}` }));
      });
    });
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
