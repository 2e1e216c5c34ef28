import { listenLocal } from '@o11y/core';

export type NotificationStatus = 'firing' | 'resolved';

/** One alert of an Alertmanager webhook notification. */
export interface NotifiedAlert {
  readonly status: NotificationStatus;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One notification: the receiver it was for (the URL path and the payload agree), its status and alerts. */
export interface Notification {
  readonly receiver: string;
  readonly status: NotificationStatus;
  readonly alerts: readonly NotifiedAlert[];
  readonly receivedAt: number;
}

export interface WebhookSink {
  /** Base URL; receivers post to `<url>/<receiver name, URI-encoded>`. */
  readonly url: string;
  /** Every notification received, in arrival order. */
  readonly notifications: readonly Notification[];
  close(): Promise<void>;
}

interface Payload {
  receiver?: unknown;
  status?: unknown;
  alerts?: Array<{ status?: unknown; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

const isStatus = (value: unknown): value is NotificationStatus => value === 'firing' || value === 'resolved';

/**
 * A local HTTP server on 127.0.0.1 recording every Alertmanager webhook notification with its receiver,
 * status, and each alert's status, labels and annotations. A post that is not a notification for the
 * receiver its path names gets 400 and is not recorded, so a misrouted webhook cannot pass for another.
 */
export async function startWebhookSink(): Promise<WebhookSink> {
  const notifications: Notification[] = [];
  const local = await listenLocal((request, response) => {
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
      const { receiver, status } = payload;
      if (typeof receiver !== 'string' || receiver !== pathReceiver || !isStatus(status)) {
        response.writeHead(400).end();
        return;
      }
      notifications.push({
        receiver,
        status,
        alerts: (payload.alerts ?? []).map((alert) => ({
          status: isStatus(alert.status) ? alert.status : status,
          labels: alert.labels ?? {},
          annotations: alert.annotations ?? {},
        })),
        receivedAt: Date.now(),
      });
      response.writeHead(200).end();
    });
  });
  return { url: local.url, notifications, close: local.stop };
}
