import { toolPath } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { startAlertmanager } from '../src/testing/alertmanager-process.ts';
import { root } from './helpers.ts';

const binary = toolPath('alertmanager', root);

describe('running the pinned Alertmanager', () => {
  it('starts on 127.0.0.1 with a free port, answers, and is gone after stop', async () => {
    const config = 'route:\n  receiver: none\nreceivers:\n  - name: none\n';
    const [first, second] = await Promise.all([
      startAlertmanager(binary, config),
      startAlertmanager(binary, config),
    ]);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.url).not.toBe(second.url);
    expect((await fetch(`${first.url}/api/v2/status`)).ok).toBe(true);
    await Promise.all([first.stop(), second.stop()]);
    await expect(fetch(`${first.url}/-/ready`)).rejects.toThrow();
  });

  it('fails with Alertmanager’s own log lines when it cannot start', async () => {
    await expect(startAlertmanager(binary, 'route: {}\n')).rejects.toThrow(
      /alertmanager did not start: it exited with code 1\n[\s\S]*root route must specify a default receiver/,
    );
  });
});
