import { describe, expect, it } from 'vitest';
import { unusedRecording } from '../../../src/checks/rules/unused-recording.ts';
import { queries, records, run } from '../../helpers.ts';

describe('rules/unused-recording', () => {
  const files = records({
    'job:http_requests:rate5m': 'sum by (job) (rate(http_requests_total[5m]))',
    'job:http_errors:rate5m': 'sum by (job) (rate(http_requests_total{status="500"}[5m]))',
    'job:http_errors:ratio_rate5m': 'job:http_errors:rate5m / job:http_requests:rate5m',
  });

  it('reports recorded series nothing reads', async () => {
    const findings = await run(unusedRecording, { ...files, ...queries('sum(job:http_requests:rate5m)') });
    expect(findings.map((f) => f.message)).toEqual([
      'nothing reads job:http_errors:ratio_rate5m: no rule and no dashboard query selects it',
    ]);
  });

  it('accepts series read by rules or dashboards, and names listed as external', async () => {
    const config = {
      checks: { 'rules/unused-recording': { options: { external: ['job:http_errors:.*'] } } },
    };
    expect(
      await run(unusedRecording, { ...files, ...queries('sum(job:http_requests:rate5m)') }, config),
    ).toEqual([]);
    // A rule file linted without dashboards cannot tell what is unused.
    expect(await run(unusedRecording, files)).toEqual([]);
  });
});
