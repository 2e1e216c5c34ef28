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
      ['recording rule job:up:sum writes the same series as the one at rules.yml:4:9', 9],
      ['alert Down duplicates the one at rules.yml:6:9', 11],
    ]);
  });

  it('accepts one name recorded with different labels, and groups of the same name in different files', async () => {
    const group = (label: string) =>
      `groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        labels: {env: ${label}}\n`;
    expect(await run(duplicate, { 'a.yml': group('prod'), 'b.yml': group('staging') })).toEqual([]);
  });

  it('accepts rules of one name whose results differ by a label they select', async () => {
    // Metrics nothing declares: the equality matchers alone tell the results apart.
    const file = [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - record: code:apiserver_requests:rate5m',
      '        expr: sum by (code) (rate(apiserver_request_total{code="500"}[5m]))',
      '      - record: code:apiserver_requests:rate5m',
      '        expr: sum by (code) (rate(apiserver_request_total{code="503"}[5m]))',
      '',
    ].join('\n');
    expect(await run(duplicate, { 'rules.yml': file }, { catalog: undefined })).toEqual([]);
  });
});
