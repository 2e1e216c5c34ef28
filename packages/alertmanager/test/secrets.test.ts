import { describe, expect, it } from 'vitest';
import { describeSecretLiteral, secret } from '../src/secrets.ts';

describe('secret literals', () => {
  it.each([
    ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'Slack webhook'],
    ['https://discord.com/api/webhooks/1234567890/abcdefghijklmnop', 'Discord webhook'],
    ['https://example.webhook.office.com/webhookb2/abc', 'Microsoft Teams'],
    ['https://alerts.example.org/hook/3f9a8c7b6d5e4f3a2b1c0d9e', 'token in its path'],
    ['https://alerts.example.org/notify?token=abc', 'token in its query'],
    ['https://bot:hunter2@alerts.example.org/', 'password'],
    ['xoxb-1234567890-abcdefghij', 'Slack token'],
    ['0123456789abcdef0123456789abcdef', 'PagerDuty routing key'],
    ['R0UTINGKEY0123456789ABCDEFGHIJKLMN', 'key or token'],
  ])('flags %s', (text, kind) => {
    expect(describeSecretLiteral(text)).toContain(kind);
  });

  it.each([
    '#alerts',
    'payments-oncall@example.org',
    'smtp.example.org:587',
    'https://events.pagerduty.com/v2/enqueue',
    'https://runbooks.example.org/alerts/HighErrorRate',
    'https://grafana.example.org/d/abc123/payments-overview',
    '{{ template "o11y.title" . }}',
    '/etc/alertmanager/secrets/slack-webhook-url',
  ])('accepts %s', (text) => {
    expect(describeSecretLiteral(text)).toBeUndefined();
  });

  it('refuses a secret passed where a path or variable name belongs, without echoing it', () => {
    const pasted = 'https://hooks.slack.com/services/T1/B2/CANARYpastedvalue123456';
    expect(() => secret.file(pasted)).toThrow(/takes the path/);
    expect(() => secret.env(pasted)).toThrow(/takes the name/);
    for (const call of [() => secret.file(pasted), () => secret.env(pasted)]) {
      try {
        call();
      } catch (error) {
        expect(String((error as Error).message)).not.toContain('CANARY');
        expect((error as { source?: { file: string } }).source?.file).toBe(
          'packages/alertmanager/test/secrets.test.ts',
        );
      }
    }
  });
});
