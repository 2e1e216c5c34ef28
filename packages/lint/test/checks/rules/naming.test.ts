import { describe, expect, it } from 'vitest';
import { naming } from '../../../src/checks/rules/naming.ts';
import { alert, records, rules, run } from '../../helpers.ts';

describe('rules/naming', () => {
  it('reports recording rules not named level:metric:operations and alerts not CamelCase', async () => {
    const findings = await run(naming, {
      'rules.yml': `${rules(alert('high_error_rate', 'up == 0') + alert('ThisAlertNameIsFarTooLongToReadInAPagerNotification', 'up == 0'))['rules.yml']}      - record: http_rate\n        expr: sum(up)\n`,
    });
    expect(findings.map((f) => f.message)).toEqual([
      'alert high_error_rate is not CamelCase',
      'alert name ThisAlertNameIsFarTooLongToReadInAPagerNotification is 51 characters long (at most 40)',
      'recording rule http_rate is not named level:metric:operations',
    ]);
  });

  it('accepts conventional names, and patterns set in the configuration', async () => {
    expect(await run(naming, { ...records({ 'job:http_requests:rate5m': 'sum(up)' }) })).toEqual([]);
    expect(await run(naming, rules(alert('HighErrorRate', 'up == 0')))).toEqual([]);
    const config = { checks: { 'rules/naming': { options: { alertPattern: '^[a-z_]+$' } } } };
    expect(await run(naming, rules(alert('high_error_rate', 'up == 0')), config)).toEqual([]);
  });
});
