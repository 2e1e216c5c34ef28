import { describe, expect, it } from 'vitest';
import { missingRecordingRule } from '../../../src/checks/dashboard/missing-recording-rule.ts';
import { queries, records, run } from '../../helpers.ts';

describe('dashboard/missing-recording-rule', () => {
  it('reports queries on recording rules no rule records', async () => {
    const findings = await run(missingRecordingRule, {
      ...records({ 'job:http_requests:rate5m': 'sum by (job) (rate(http_requests_total[5m]))' }),
      ...queries('sum(job:http_request:rate5m)'),
    });
    expect(findings.map((f) => [f.message, f.expression?.span])).toEqual([
      ['no recording rule records job:http_request:rate5m', { start: 4, end: 27 }],
    ]);
  });

  it('accepts recorded names and raw metrics', async () => {
    const findings = await run(missingRecordingRule, {
      ...records({ 'job:http_requests:rate5m': 'sum by (job) (rate(http_requests_total[5m]))' }),
      ...queries('sum(job:http_requests:rate5m)', 'sum(up)'),
    });
    expect(findings).toEqual([]);
  });
});
