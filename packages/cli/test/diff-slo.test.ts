import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

/**
 * A pull request that lowers one service's availability objective, on a real git clone of the
 * checkout: the diff's SLO section names the objective, the rules it rewrites are changed (never
 * removed and added again), and the slow steps report their progress on stderr.
 */
const DEFINITION = 'catalog/services.ts';
const BEFORE =
  "    slo: { availability: 0.999, latency: { threshold: 1, objective: 0.99 } },\n  }),\n  service('payments'";
const AFTER =
  "    slo: { availability: 0.995, latency: { threshold: 1, objective: 0.99 } },\n  }),\n  service('payments'";

let parent: string;
let clone: string;

beforeAll(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'o11y-diff-slo-'));
  clone = path.join(parent, 'repo');
  execFileSync('git', ['clone', '--quiet', repoRoot, clone], { stdio: 'pipe' });
  for (const ignored of ['node_modules', '.tools'])
    symlinkSync(path.join(repoRoot, ignored), path.join(clone, ignored), 'dir');
  const file = path.join(clone, DEFINITION);
  const source = readFileSync(file, 'utf8');
  expect(source.split(BEFORE)).toHaveLength(2); // exactly the orders service's line
  writeFileSync(file, source.replace(BEFORE, AFTER));
  execFileSync(
    'git',
    [
      '-c',
      'user.name=test',
      '-c',
      'user.email=test@example.invalid',
      'commit',
      '--quiet',
      '-am',
      'orders: 99.5%',
    ],
    { cwd: clone, stdio: 'pipe' },
  );
}, 120_000);

afterAll(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
});

describe('o11y diff of a changed SLO objective', () => {
  it('shows the objective in the SLO section and the rules it changes, with progress on stderr', () => {
    const result = o11y(['diff', '--base', 'HEAD~1'], { cwd: clone });
    expect(result.status, result.stderr).toBe(0);
    const sloSection = result.stdout.slice(result.stdout.indexOf('SLOs:'));
    expect(sloSection).toMatch(
      /^SLOs: 0 added, 0 removed, 1 changed\n {2}~ orders-availability \[slo\/orders-availability\.json\]\n {6}objective: 0\.999 → 0\.995\n {6}errorBudget: 0\.001 → 0\.005\n/,
    );
    const rules = result.stdout.slice(result.stdout.indexOf('Rules:'), result.stdout.indexOf('SLOs:'));
    expect(rules).toMatch(/^Rules: 0 added, 0 removed, \d+ changed\n/);
    expect(rules).toContain('orders');
    // Not a terminal: one line per finished step, with its number, what it counted and the time.
    expect(result.stderr).toMatch(
      /^o11y diff: \[1\/3\] building HEAD~1: done in \d+\.\ds\no11y diff: \[2\/3\] building the working tree: done in \d+\.\ds\no11y diff: \[3\/3\] comparing, \d+ items changed: done in \d+\.\ds\n$/,
    );
  }, 600_000);
});
