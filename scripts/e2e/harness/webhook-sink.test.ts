import { afterEach, describe, expect, it } from 'vitest';
import { type NotificationSink, startNotificationSink } from './webhook-sink.ts';

describe('the notification sink', () => {
  let sink: NotificationSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${sink!.url}/${path}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('records receiver, status, labels and annotations of a webhook notification', async () => {
    sink = await startNotificationSink();
    const response = await post('pagerduty-critical', {
      receiver: 'pagerduty-critical',
      status: 'firing',
      alerts: [
        { status: 'firing', labels: { alertname: 'X', service: 'orders' }, annotations: { summary: 's' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(sink.notifications).toMatchObject([
      {
        receiver: 'pagerduty-critical',
        status: 'firing',
        alerts: [{ labels: { alertname: 'X' }, annotations: { summary: 's' } }],
      },
    ]);
  });

  it('refuses malformed posts and posts whose receiver differs from the path', async () => {
    sink = await startNotificationSink();
    expect((await post('a', 'not json')).status).toBe(400);
    expect((await post('a', { receiver: 'b', status: 'firing', alerts: [] })).status).toBe(400);
    expect((await post('a', { receiver: 'a', status: 'maybe', alerts: [] })).status).toBe(400);
    expect(sink.notifications).toEqual([]);
  });
});
