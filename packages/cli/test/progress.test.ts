import { describe, expect, it } from 'vitest';
import { progress } from '../src/progress.ts';

/** A clock the test moves, and everything written to "stderr". */
function harness(tty: boolean) {
  let time = 0;
  const written: string[] = [];
  const steps = progress({
    verb: 'o11y test',
    steps: 2,
    write: (text) => written.push(text),
    tty,
    now: () => time,
    refreshMs: 5,
  });
  return { steps, written, advance: (ms: number) => (time += ms) };
}

describe('progress of slow steps', () => {
  it('prints one line per finished step when stderr is not a terminal', async () => {
    const { steps, written, advance } = harness(false);
    await steps.step('promtool', async (count) => {
      steps.log('promtool test rules: 35 files in 2 processes');
      advance(12_340);
      count('70 tests, 0 failed');
    });
    await expect(
      steps.step('alertmanager', async () => {
        advance(1_000);
        throw new Error('amtool missing');
      }),
    ).rejects.toThrow('amtool missing');
    expect(written.join('')).toBe(
      [
        'promtool test rules: 35 files in 2 processes',
        'o11y test: [1/2] promtool, 70 tests, 0 failed: done in 12.3s',
        'o11y test: [2/2] alertmanager: failed after 1.0s',
        '',
      ].join('\n'),
    );
  });

  it('redraws one line in place on a terminal, with the count and the time elapsed', async () => {
    const { steps, written, advance } = harness(true);
    await steps.step('promtool', async (count) => {
      advance(2_000);
      await new Promise((resolve) => setTimeout(resolve, 30)); // the timer redraws meanwhile
      count('12 files');
      steps.log('a line of the step');
    });
    const text = written.join('');
    expect(text.startsWith('\r\u001b[Ko11y test: [1/2] promtool … 0.0s')).toBe(true);
    expect(text).toContain('\r\u001b[Ko11y test: [1/2] promtool … 2.0s');
    expect(text).toContain('\r\u001b[Ko11y test: [1/2] promtool, 12 files … 2.0s');
    expect(text).toContain('\r\u001b[Ka line of the step\n');
    expect(text.endsWith('\r\u001b[Ko11y test: [1/2] promtool, 12 files: done in 2.0s\n')).toBe(true);
  });
});
