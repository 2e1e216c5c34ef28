import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneWithChange, DIFF_PROGRESS, o11y } from './helpers.ts';

/**
 * A pull request that lowers one service's availability objective and doubles its replicas, on a real
 * git clone of the checkout: the diff's SLO section names the objective, the rules it rewrites are
 * changed (never removed and added again), the series estimate grows with the replicas, and the slow
 * steps report their progress on stderr.
 */
const DEFINITION = 'catalog/services.ts';
const BEFORE =
  "    replicas: 3,\n    port: 3000,\n    datastores: ['postgres'],\n    slo: { availability: 0.999, latency: { threshold: 1, objective: 0.99 } },\n  }),\n  service('payments'";
const AFTER =
  "    replicas: 6,\n    port: 3000,\n    datastores: ['postgres'],\n    slo: { availability: 0.995, latency: { threshold: 1, objective: 0.99 } },\n  }),\n  service('payments'";

let change: ReturnType<typeof cloneWithChange>;

beforeAll(() => {
  change = cloneWithChange(DEFINITION, BEFORE, AFTER, 'orders: 99.5%, six replicas');
}, 120_000);

afterAll(() => change?.remove());

describe('o11y diff of a changed SLO objective', () => {
  it('shows the objective in the SLO section, the rules it changes and the series estimate, with progress on stderr', () => {
    const result = o11y(['diff', '--base', 'HEAD~1'], { cwd: change.clone });
    expect(result.status, result.stderr).toBe(0);
    const sloSection = result.stdout.slice(result.stdout.indexOf('SLOs:'));
    expect(sloSection).toMatch(
      /^SLOs: 0 added, 0 removed, 1 changed\n {2}~ orders-availability \[slo\/orders-availability\.json\]\n {6}objective: 0\.999 → 0\.995\n {6}errorBudget: 0\.001 → 0\.005\n/,
    );
    const rules = result.stdout.slice(result.stdout.indexOf('Rules:'), result.stdout.indexOf('SLOs:'));
    expect(rules).toMatch(/^Rules: 0 added, 0 removed, \d+ changed\n/);
    expect(rules).toContain('orders');
    // Three more instances of orders: more scraped series under the rules and panels that read them.
    const [, before, after, delta] =
      result.stdout.match(/\nEstimated series: (\d+) → (\d+) \(\+(\d+)\)\n$/) ?? [];
    expect(Number(after) - Number(before), result.stdout.slice(-200)).toBe(Number(delta));
    expect(Number(delta)).toBeGreaterThan(0);
    // Not a terminal: one line per finished step, with its number, what it counted and the time.
    expect(result.stderr).toMatch(DIFF_PROGRESS);
  }, 600_000);
});
