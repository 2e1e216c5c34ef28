import { describe, expect, it } from 'vitest';
import { o11y } from './helpers.ts';

describe('o11y test progress', () => {
  it('says on stderr which suite ran, how many tests and how long, a line per suite off a terminal', () => {
    const result = o11y(['test', '--run', 'HighErrorRate']);
    expect(result.status, result.stderr).toBe(0);
    const progress = result.stderr.split('\n').filter((line) => line.startsWith('o11y test: '));
    expect(progress).toHaveLength(2);
    expect(progress[0]).toMatch(/^o11y test: \[1\/2\] promtool, [1-9]\d* tests, 0 failed: done in \d+\.\ds$/);
    expect(progress[1]).toMatch(/^o11y test: \[2\/2\] alertmanager, \d+ tests, 0 failed: done in \d+\.\ds$/);
    // stdout still ends with the totals line the test runner reads.
    expect(result.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
  }, 180_000);
});
