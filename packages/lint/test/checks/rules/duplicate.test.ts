import { describe, expect, it } from 'vitest';
import { duplicate } from '../../../src/checks/rules/duplicate.ts';
import { alert, run } from '../../helpers.ts';

describe('rules/duplicate', () => {
  it('reports duplicate groups in a file, recording rules writing one series, and repeated alerts', async () => {
    const file = [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - record: job:up:sum',
      '        expr: sum by (job) (up)',
      alert('Down', 'up == 0').trimEnd(),
      '  - name: g',
      '    rules:',
      '      - record: job:up:sum',
      '        expr: count by (job) (up)',
      alert('Down', 'up == 0').trimEnd(),
      '',
    ].join('\n');
    const findings = await run(duplicate, { 'rules.yml': file });
    expect(findings.map((f) => [f.message, f.source?.line])).toEqual([
      ['group g is defined twice in rules.yml (also at rules.yml:2:5)', 7],
      [
        'recording rule job:up:sum of group g writes the same series as the one of group g at rules.yml:4:9',
        9,
      ],
      ['alert Down of group g duplicates the one of group g at rules.yml:6:9', 11],
    ]);
  });

  it('accepts one name recorded with different labels, and groups of the same name in different files', async () => {
    const group = (label: string) =>
      `groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        labels: {env: ${label}}\n`;
    expect(await run(duplicate, { 'a.yml': group('prod'), 'b.yml': group('staging') })).toEqual([]);
  });

  it('reports two rules of one name and labels in one group whatever their expressions, as promtool does', async () => {
    const file = [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - record: job:up:sum',
      '        expr: sum by (job) (up{job="a"})',
      '      - record: job:up:sum',
      '        expr: sum by (job) (up{job="b"})',
      alert('Down', 'up == 0').trimEnd(),
      alert('Down', 'up < 1').trimEnd(),
      '',
    ].join('\n');
    const findings = await run(duplicate, { 'rules.yml': file });
    expect(findings.map((f) => [f.message, f.source?.line])).toEqual([
      [
        'recording rule job:up:sum of group g writes the same series as the one of group g at rules.yml:4:9',
        6,
      ],
      ['alert Down of group g duplicates the one of group g at rules.yml:8:9', 9],
    ]);
  });

  it('compares a rule with the earlier ones that may write its series, and reports the first of them', async () => {
    const group = (name: string, expr: string) =>
      `  - name: ${name}\n    rules:\n      - record: job:up:sum\n        expr: ${expr}\n`;
    const file = [
      'groups:\n',
      group('api', 'sum by (job) (up{job="api"})'),
      group('web', 'sum by (job) (up{job="web"})'),
      group('all', 'sum by (job) (up)'),
      group('web-or-node', 'sum by (job) (up{job=~"web|node"})'),
      group('node', 'sum by (job) (up{job="node"})'),
      group('api-again', 'sum by (job) (up{job="api"})'),
    ].join('');
    const findings = await run(duplicate, { 'rules.yml': file });
    expect(findings.map((f) => [f.message, f.source?.line])).toEqual([
      [
        'recording rule job:up:sum of group all writes the same series as the one of group api at rules.yml:4:9',
        12,
      ],
      [
        'recording rule job:up:sum of group web-or-node writes the same series as the one of group web at rules.yml:8:9',
        16,
      ],
      [
        'recording rule job:up:sum of group node writes the same series as the one of group all at rules.yml:12:9',
        20,
      ],
      [
        'recording rule job:up:sum of group api-again writes the same series as the one of group api at rules.yml:4:9',
        24,
      ],
    ]);
  });
});
