import { describe, expect, it } from 'vitest';
import { groupInterval } from '../../../src/checks/rules/group-interval.ts';
import { alert, recordItems, run } from '../../helpers.ts';

const group = (name: string, interval: string | undefined, body: string) =>
  `  - name: ${name}\n${interval ? `    interval: ${interval}\n` : ''}    rules:\n${body}`;

describe('rules/group-interval', () => {
  it('reports groups evaluated less often than the lookback, and their alerts without keep_firing_for', async () => {
    const findings = await run(groupInterval, {
      'rules.yml': `groups:\n${group(
        'slow',
        '10m',
        recordItems({ 'job:up:sum': 'sum by (job) (up)', 'job:up:min': 'min by (job) (up)' }) +
          alert('Down', 'up == 0') +
          alert('Held', 'up == 0', { keep_firing_for: '10m' }),
      )}`,
    });
    expect(findings.map((f) => f.message)).toEqual([
      'group slow is evaluated every 10m, longer than the 5m lookback: the series its 2 recording rules write are missing between evaluations',
      'alert Down is evaluated every 10m, longer than the 5m lookback: it resolves between evaluations and fires again',
    ]);
  });

  it('accepts intervals within the lookback, no interval, and a longer configured lookback', async () => {
    const body = recordItems({ 'job:up:sum': 'sum by (job) (up)' }) + alert('Down', 'up == 0');
    const files = {
      'rules.yml': `groups:\n${group('fast', '5m', body)}${group('default', undefined, body)}`,
    };
    expect(await run(groupInterval, files)).toEqual([]);
    const slow = { 'rules.yml': `groups:\n${group('slow', '10m', body)}` };
    expect(
      await run(groupInterval, slow, {
        checks: { 'rules/group-interval': { options: { lookback: '15m' } } },
      }),
    ).toEqual([]);
  });
});
