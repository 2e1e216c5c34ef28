import { re } from '@o11y/catalog';
import { formatDiagnostic, O11yError } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { alert, availability, record, recordingRuleOf, ruleGroup, slo } from '../src/index.ts';
import { batchRuns, queueDepth, requests } from './fixtures.ts';

const HERE = 'packages/rules/test/errors.test.ts';

/** Runs `build`, expects an O11yError, and returns it formatted as the CLI prints it. */
function buildError(build: () => unknown): { error: O11yError; printed: string } {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(O11yError);
    const o11y = error as O11yError;
    return { error: o11y, printed: formatDiagnostic(o11y.toDiagnostic()) };
  }
  throw new Error('expected a build error');
}

const availabilitySli = () => availability({ total: requests, errors: requests.select({ code: re('5..') }) });

describe('build-time errors name the TypeScript line and say what to do', () => {
  it('rejects a burn-rate threshold that can never fire', () => {
    const { error, printed } = buildError(() =>
      slo({ service: 'shop', team: 'web', name: 'availability', objective: 0.9, sli: availabilitySli() }),
    );
    expect(error.id).toBe('slo/impossible-threshold');
    expect(error.message).toContain('page window 1h/5m ×14.4 can never fire: 14.4 × (1 − 0.9) = 1.44');
    expect(error.hint).toMatch(/lower the factor below 10/);
    expect(error.source?.file).toBe(HERE);
    expect(printed.startsWith(`${HERE}:`)).toBe(true);
  });

  it.each([1, 1.0, 0, 1.5, -0.1, 99.9])('rejects objective %s', (objective) => {
    const { error } = buildError(() =>
      slo({ service: 'shop', team: 'web', name: 'availability', objective, sli: availabilitySli() }),
    );
    expect(error.id).toBe('slo/objective');
    expect(error.message).toContain(`objective ${objective} is outside (0, 1)`);
    expect(error.source?.file).toBe(HERE);
    if (objective === 1) expect(error.hint).toMatch(/leaves no error budget/);
  });

  it('rejects windows shorter than twice the scrape interval of the SLI metrics', () => {
    // batch_runs_total is scraped every 5m: a 5m short window holds at most one sample.
    const { error } = buildError(() =>
      slo({
        service: 'batch',
        team: 'data',
        name: 'runs',
        objective: 0.99,
        sli: availability({ total: batchRuns, errors: batchRuns.select({ outcome: 'failed' }) }),
      }),
    );
    expect(error.id).toBe('slo/window-too-short');
    expect(error.message).toContain('window 5m is shorter than twice the scrape interval (5m)');
    expect(error.hint).toContain('at least 10m');
    expect(error.source?.file).toBe(HERE);
  });

  it('builds two rules of one name and labels in a group: lint rules/duplicate is the one place that rejects them', () => {
    const first = record('shop:queue_depth:max', queueDepth);
    const second = record('shop:queue_depth:max', queueDepth);
    const group = ruleGroup('shop', { rules: [first, second] });
    expect(group.rules.map((r) => r.source)).toEqual([first, second].map((r) => recordingRuleOf(r)!.source));
  });

  it('accepts rules of one name whose labels differ, as promtool does', () => {
    const cart = record('shop:queue_depth:max', queueDepth, { labels: { queue: 'cart' } });
    const mail = record('shop:queue_depth:max', queueDepth, { labels: { queue: 'mail' } });
    expect(ruleGroup('shop', { rules: [cart, mail] }).rules).toHaveLength(2);
  });

  it('builds an alert whatever its severity: lint’s rules/required-labels is the one place that judges it', () => {
    // @ts-expect-error: severity is required by the type; this is what plain JavaScript or a cast gets.
    const bare = alert('QueueBacklog', {
      expr: queueDepth.gt(100),
      team: 'web',
      summary: 's',
      description: 'd',
    });
    expect(bare.labels.severity).toBeUndefined();
    const odd = alert('QueueBacklog', {
      expr: queueDepth.gt(100),
      severity: 'page' as 'critical',
      team: 'web',
      summary: 's',
      description: 'd',
    });
    expect(odd.labels.severity).toBe('page');
  });
});
