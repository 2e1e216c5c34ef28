import { describe, expect, it } from 'vitest';
import { labelConflict } from '../../../src/checks/rules/label-conflict.ts';
import { alert, rules, run } from '../../helpers.ts';

describe('rules/label-conflict', () => {
  it('reports static labels that overwrite expression labels, and reserved labels', async () => {
    const findings = await run(
      labelConflict,
      rules(
        '      - record: job:http_requests:rate5m\n        expr: sum by (job) (rate(http_requests_total[5m]))\n        labels: {job: all}\n' +
          alert('Down', 'up == 0', { labels: { severity: 'critical', team: 'x', alertname: 'Other' } }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'job:http_requests:rate5m sets label "job", which its expression\'s series already carry: the value is overwritten',
      'Down sets the reserved label "alertname"',
    ]);
  });

  it('accepts labels the expression does not have, or has with the same single value', async () => {
    const findings = await run(
      labelConflict,
      rules(
        '      - record: job:http_requests:rate5m\n        expr: sum by (job) (rate(http_requests_total{job="api"}[5m]))\n        labels: {job: api, tier: web}\n',
      ),
    );
    expect(findings).toEqual([]);
  });

  it('accepts quantile on a histogram_quantile recording rule, and le', async () => {
    const findings = await run(
      labelConflict,
      rules(
        '      - record: route:http_request_duration_seconds:p99\n        expr: histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))\n        labels: {quantile: "0.99"}\n',
      ),
    );
    expect(findings).toEqual([]);
  });
});
