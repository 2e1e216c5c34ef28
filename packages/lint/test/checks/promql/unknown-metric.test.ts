import { describe, expect, it } from 'vitest';
import { unknownMetric } from '../../../src/checks/promql/unknown-metric.ts';
import { alert, queries, records, rules, run } from '../../helpers.ts';

describe('promql/unknown-metric', () => {
  it('reports a metric that is neither catalogued nor recorded', async () => {
    const findings = await run(unknownMetric, records({ 'a:b:c': 'sum(rate(http_request_total[5m]))' }));
    expect(findings.map((f) => f.message)).toEqual([
      'unknown metric http_request_total: neither in the catalogue nor recorded by a rule',
    ]);
  });

  it('accepts catalogued series names and recorded outputs; leaves recording names in dashboards to the dashboard check', async () => {
    const findings = await run(unknownMetric, {
      ...records({ 'job:http:rate5m': 'sum by (job) (rate(http_request_duration_seconds_count[5m]))' }),
      ...queries('job:http:rate5m', 'job:missing:rate5m'),
    });
    expect(findings).toEqual([]);
  });

  it("knows ALERTS and ALERTS_FOR_STATE, the series Prometheus writes for the project's alerts", async () => {
    const findings = await run(unknownMetric, {
      ...rules(alert('TargetDown', 'up == 0')),
      ...queries('count by (alertname) (ALERTS{alertstate="firing"})', 'time() - ALERTS_FOR_STATE', 'ALERT'),
    });
    expect(findings.map((f) => f.message)).toEqual([
      'unknown metric ALERT: neither in the catalogue nor recorded by a rule',
    ]);
  });

  it('is off without a catalogue', async () => {
    expect(await run(unknownMetric, records({ 'a:b:c': 'foo' }), { catalog: undefined })).toEqual([]);
  });
});
