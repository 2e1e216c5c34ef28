import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One notification Alertmanager posted: the receiver it was for and the labels of its alerts. */
export interface Delivery {
  readonly receiver: string;
  readonly alerts: ReadonlyArray<Readonly<Record<string, string>>>;
}

export interface WebhookSink {
  readonly url: string;
  readonly deliveries: readonly Delivery[];
  close(): Promise<void>;
}

interface WebhookPayload {
  receiver?: string;
  alerts?: Array<{ labels?: Record<string, string> }>;
}

/** A local HTTP server on 127.0.0.1 recording every webhook notification posted to it. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload;
        deliveries.push({
          receiver: String(payload.receiver ?? ''),
          alerts: (payload.alerts ?? []).map((alert) => alert.labels ?? {}),
        });
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
