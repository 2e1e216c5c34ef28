import { describe, expect, it } from 'vitest';
import { naming } from '../../../src/checks/rules/naming.ts';
import { lint } from '../../../src/lint.ts';
import { testCatalog } from '../../catalog.ts';
import { alert, modelOf, records, rules, run } from '../../helpers.ts';

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

  it("reports once what two alerts of one name and one definition break (an SLO's page and ticket alerts)", async () => {
    const long = 'ThisAlertNameIsFarTooLongToReadInAPagerNotification';
    const { model, sources } = modelOf(rules(alert(long, 'up > 1') + alert(long, 'up > 2')));
    const group = model.ruleGroups[0]!;
    const [page, ticket] = group.rules;
    const oneDefinition = { ...group, rules: [page!, { ...ticket!, source: page!.source }] };
    const once = await lint(
      { ...model, ruleGroups: [oneDefinition] },
      { checks: [naming], config: { catalog: testCatalog }, sources },
    );
    expect(once.findings.map((f) => [f.message, f.source])).toEqual([
      [`alert name ${long} is 51 characters long (at most 40)`, page!.source],
    ]);
    const twoLines = await lint(model, { checks: [naming], config: { catalog: testCatalog }, sources });
    expect(twoLines.findings.map((f) => f.source?.line)).toEqual([page!.source.line, ticket!.source.line]);
  });

  it('accepts conventional names, and patterns set in the configuration', async () => {
    expect(await run(naming, { ...records({ 'job:http_requests:rate5m': 'sum(up)' }) })).toEqual([]);
    expect(await run(naming, rules(alert('HighErrorRate', 'up == 0')))).toEqual([]);
    const config = { checks: { 'rules/naming': { options: { alertPattern: '^[a-z_]+$' } } } };
    expect(await run(naming, rules(alert('high_error_rate', 'up == 0')), config)).toEqual([]);
  });
});
