import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of an Alertmanager webhook notification. */
export interface NotifiedAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One notification: the receiver it was for (the URL path and the payload agree), its status and alerts. */
export interface Notification {
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly NotifiedAlert[];
  readonly receivedAt: number;
}

export interface NotificationSink {
  /** Base URL; receivers post to `<url>/<receiver name>`. */
  readonly url: string;
  readonly notifications: readonly Notification[];
  close(): Promise<void>;
}

interface Payload {
  receiver?: unknown;
  status?: unknown;
  alerts?: Array<{ status?: unknown; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

const isStatus = (value: unknown): value is 'firing' | 'resolved' =>
  value === 'firing' || value === 'resolved';

/**
 * A local HTTP server on 127.0.0.1 that records every Alertmanager webhook notification with its
 * status, labels and annotations (the end-to-end check asserts all three); malformed posts get 400.
 */
export async function startNotificationSink(): Promise<NotificationSink> {
  const notifications: Notification[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let payload: Payload;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Payload;
      } catch {
        response.writeHead(400).end();
        return;
      }
      const pathReceiver = decodeURIComponent(
        new URL(request.url ?? '/', 'http://localhost').pathname.slice(1),
      );
      if (
        typeof payload.receiver !== 'string' ||
        payload.receiver !== pathReceiver ||
        !isStatus(payload.status)
      ) {
        response.writeHead(400).end();
        return;
      }
      notifications.push({
        receiver: payload.receiver,
        status: payload.status,
        alerts: (payload.alerts ?? []).map((alert) => ({
          status: isStatus(alert.status) ? alert.status : (payload.status as 'firing' | 'resolved'),
          labels: alert.labels ?? {},
          annotations: alert.annotations ?? {},
        })),
        receivedAt: Date.now(),
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notifications,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
