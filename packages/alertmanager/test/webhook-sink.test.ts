import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookSink, type WebhookSink } from '../src/index.ts';

describe('the webhook sink', () => {
  let sink: WebhookSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${sink!.url}/${path}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('records receiver, status, and each alert’s status, labels and annotations', async () => {
    sink = await startWebhookSink();
    const response = await post('pagerduty%20critical', {
      receiver: 'pagerduty critical',
      status: 'resolved',
      alerts: [
        { status: 'resolved', labels: { alertname: 'X', service: 'orders' }, annotations: { summary: 's' } },
        { labels: { alertname: 'Y' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(sink.notifications).toEqual([
      {
        receiver: 'pagerduty critical',
        status: 'resolved',
        alerts: [
          {
            status: 'resolved',
            labels: { alertname: 'X', service: 'orders' },
            annotations: { summary: 's' },
          },
          { status: 'resolved', labels: { alertname: 'Y' }, annotations: {} },
        ],
        receivedAt: expect.any(Number),
      },
    ]);
  });

  it('refuses malformed posts and posts whose receiver differs from the path', async () => {
    sink = await startWebhookSink();
    expect((await post('a', 'not json')).status).toBe(400);
    expect((await post('a', { receiver: 'b', status: 'firing', alerts: [] })).status).toBe(400);
    expect((await post('a', { receiver: 'a', status: 'maybe', alerts: [] })).status).toBe(400);
    expect(sink.notifications).toEqual([]);
  });
});
