import { describe, expect, it } from 'vitest';
import { alertComparison } from '../../../src/checks/rules/alert-comparison.ts';
import { alert, caret, recordItems, rules, run } from '../../helpers.ts';

describe('rules/alert-comparison', () => {
  it('reports every part of an alert that returns its series unfiltered', async () => {
    const expressions = {
      Selector: 'http_requests_total{status="504"}',
      Rate: 'sum by (job) (rate(http_requests_total[5m])) * 60',
      Bool: 'up == bool 0',
      Constant: 'vector(1)',
      OrSide: 'up == 0 or http_requests_total',
    };
    const findings = await run(
      alertComparison,
      rules(
        Object.entries(expressions)
          .map(([name, expr]) => alert(name, expr))
          .join(''),
      ),
    );
    expect(findings.map((f) => [f.message, caret(f)])).toEqual([
      [
        'alert Selector always fires when this part returns anything: every series it selects is an alert, whatever its value',
        'http_requests_total{status="504"}',
      ],
      [
        'alert Rate always fires when this part returns anything: every series it selects is an alert, whatever its value',
        'http_requests_total[5m]',
      ],
      [
        'alert Bool always fires when this part returns anything: a comparison with bool returns 0 or 1 for every series instead of filtering',
        'up == bool 0',
      ],
      [
        'alert Constant always fires when this part returns anything: vector() is a result on every evaluation',
        'vector(1)',
      ],
      [
        'alert OrSide always fires when this part returns anything: every series it selects is an alert, whatever its value',
        'http_requests_total',
      ],
    ]);
  });

  it('accepts comparisons, absent(), unless, filtered joins, and leaves recording rules alone', async () => {
    const findings = await run(
      alertComparison,
      rules(
        alert('Down', 'up == 0') +
          alert('Missing', 'absent(up{job="api"})') +
          alert(
            'Ratio',
            'sum(rate(http_requests_total{status="500"}[5m])) / sum(rate(http_requests_total[5m])) > 0.01',
          ) +
          alert(
            'Quantile',
            'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
          ) +
          alert('Unless', 'up unless on (job) http_requests_total') +
          alert('Join', 'http_requests_total * on (job, instance) group_left () (up == 0)') +
          alert('Either', 'up == 0 or absent(up{job="api"})') +
          recordItems({ 'job:up:sum': 'sum by (job) (up)' }),
      ),
    );
    expect(findings).toEqual([]);
  });
});
