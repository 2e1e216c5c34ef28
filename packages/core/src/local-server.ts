import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Drops open (keep-alive) connections and closes the server. */
  stop(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 with a port the OS picks (or `port`, for a simulator a person starts):
 * simulators, webhook sinks, scrape targets. Tests and the end-to-end stack never listen on any
 * other address.
 */
export async function listenLocal(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port = 0,
): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const listening = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
