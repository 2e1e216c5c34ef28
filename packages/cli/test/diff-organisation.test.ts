import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneWithChange, DIFF_PROGRESS, o11y } from './helpers.ts';

/**
 * Issue 9's "done when": `o11y diff --base HEAD~1` on a commit that changes one panel query of the
 * sample organisation prints exactly that change. A clone of the repository at HEAD gets a commit that
 * points the blackbox dashboard's "Probe duration" panel at the per-phase HTTP duration; the real verb
 * then builds both commits of the whole organisation (30 dashboards, rules, SLOs, Alertmanager).
 *
 * The checkout's CLI runs with the clone as its project: the clone borrows the checkout's node_modules,
 * through which every @o11y package (and the `o11y` the builds run) is the checkout's anyway.
 */
const DEFINITION = 'dashboards/infrastructure.ts';
const BEFORE_LINE = '    duration: catalog.probeDurationSeconds,\n';
const AFTER_LINE = '    duration: catalog.probeHttpDurationSeconds,\n';
const BEFORE = 'max by (instance) (probe_duration_seconds{instance=~"$instance",job="blackbox"})';
const AFTER = 'max by (instance) (probe_http_duration_seconds{instance=~"$instance",job="blackbox"})';

let change: ReturnType<typeof cloneWithChange>;
let clone: string;

beforeAll(() => {
  change = cloneWithChange(DEFINITION, BEFORE_LINE, AFTER_LINE, 'probe duration by phase');
  clone = change.clone;
  expect(change.git('diff', '--numstat', 'HEAD~1', 'HEAD')).toBe(`1\t1\t${DEFINITION}\n`);
}, 120_000);

afterAll(() => change?.remove());

describe('o11y diff --base HEAD~1 on the sample organisation', () => {
  it('prints only the one changed panel query, as a diff of the prettified PromQL', () => {
    const result = o11y(['diff', '--base', 'HEAD~1'], { cwd: clone });
    expect(result.stderr).toMatch(DIFF_PROGRESS);
    expect(result.stdout).toBe(
      [
        'Dashboards: 0 added, 0 removed, 1 changed',
        '  ~ Blackbox uptime (blackbox-uptime) [infrastructure]',
        '      panel "Probe duration" query A changed',
        `        - ${BEFORE}`,
        `        + ${AFTER}`,
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
  }, 600_000);

  it('reports the same single change, and nothing in any other section, as JSON', () => {
    const result = o11y(['diff', '--base', 'HEAD~1', '--format', 'json', '--exit-code'], { cwd: clone });
    expect(result.stderr).toMatch(DIFF_PROGRESS);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      sections: [
        {
          name: 'Dashboards',
          items: [
            {
              id: 'blackbox-uptime',
              title: 'Blackbox uptime',
              status: 'changed',
              location: 'infrastructure',
              changes: [
                {
                  kind: 'query',
                  subject: 'panel "Probe duration" query A',
                  before: BEFORE,
                  after: AFTER,
                  lines: [
                    { op: '-', text: BEFORE },
                    { op: '+', text: AFTER },
                  ],
                },
              ],
            },
          ],
        },
        { name: 'Rules', items: [] },
        { name: 'SLOs', items: [] },
        { name: 'Alertmanager', items: [] },
        { name: 'Grafana alerting', items: [] },
        { name: 'Loki rules', items: [] },
      ],
    });
    // The base worktree is gone again: nothing left registered in the clone.
    expect(change.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  }, 600_000);
});
