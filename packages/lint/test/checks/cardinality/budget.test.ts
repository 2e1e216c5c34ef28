import { describe, expect, it } from 'vitest';
import { budget } from '../../../src/checks/cardinality/budget.ts';
import { defineConfig } from '../../../src/config.ts';
import { dashboard, records, run } from '../../helpers.ts';

const files = {
  ...records({
    'job_route:http_requests:rate5m': 'sum by (job, route) (rate(http_requests_total[5m]))',
    'route:http_requests:rate5m': 'sum by (route) (rate(http_requests_total[5m]))',
  }),
  'd.json': dashboard([
    { targets: [{ expr: 'sum by (route, status) (rate(http_requests_total[$__rate_interval]))' }] },
  ]),
};

describe('cardinality/budget', () => {
  it('reports rules, groups, queries and the recorded total over their budgets', async () => {
    const findings = await run(budget, files, {
      budgets: { rule: 15, group: 25, query: 20, recordedTotal: 29 },
    });
    expect(findings.map((f) => f.message)).toEqual([
      // Sorted by place: the project-wide total first, then d.json, then rules.yml.
      'recording rules add up to 30 series, over the total budget of 29',
      'query A of panel "Panel 1" (dashboard test) produces up to 30 series, over the per-query budget of 20',
      'group test produces up to 30 series, over the per-group budget of 25',
      'recording rule job_route:http_requests:rate5m (group test) produces up to 20 series, over the per-rule budget of 15',
    ]);
  });

  it('puts the project-wide total at the configuration that sets its budget', async () => {
    const config = defineConfig({ budgets: { recordedTotal: 29 } });
    const [total] = await run(budget, files, config);
    expect(total?.message).toBe('recording rules add up to 30 series, over the total budget of 29');
    expect(total?.source).toEqual(config.source);
    expect(total?.source?.file).toMatch(/budget\.test\.ts$/);
  });

  it('accepts estimates within the budgets, and no budgets at all', async () => {
    expect(
      await run(budget, files, { budgets: { rule: 20, group: 30, query: 30, recordedTotal: 30 } }),
    ).toEqual([]);
    expect(await run(budget, files)).toEqual([]);
  });
});
