import { describe, expect, it } from 'vitest';
import { alertFor } from '../../../src/checks/rules/alert-for.ts';
import { alert, rules, run } from '../../helpers.ts';

describe('rules/alert-for', () => {
  it('reports noisy alerts without for', async () => {
    const findings = await run(
      alertFor,
      rules(
        alert('A', 'up == 0', { for: undefined }) +
          alert('B', 'sum(irate(http_requests_total[5m])) > 10', { for: '0s' }) +
          alert('C', 'sum(rate(http_requests_total[1m])) > 10', { for: '30s' }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'alert A has no for but its expression is noisy: it compares a raw sample, which changes with every scrape',
      'alert B has no for but its expression is noisy: irate() looks at the last two samples only',
      'alert C holds for only 30s but its expression is noisy: rate() over only 1m',
    ]);
  });

  it('accepts windowed expressions without for, and noisy ones with for', async () => {
    const findings = await run(
      alertFor,
      rules(
        alert('A', 'up == 0', { for: '5m' }) +
          alert(
            'B',
            'sum(rate(http_requests_total{status="500"}[1h])) / sum(rate(http_requests_total[1h])) > 0.01',
            {
              for: undefined,
            },
          ),
      ),
    );
    expect(findings).toEqual([]);
  });
});
