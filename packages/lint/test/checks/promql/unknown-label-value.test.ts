import { describe, expect, it } from 'vitest';
import { unknownLabelValue } from '../../../src/checks/promql/unknown-label-value.ts';
import { alert, queries, records, rules, run } from '../../helpers.ts';

describe('promql/unknown-label-value', () => {
  it('reports values and regexes outside the listed values', async () => {
    const findings = await run(
      unknownLabelValue,
      records({
        'a:b:c': 'sum(rate(http_requests_total{method="get"}[5m]))',
        'a:b:d': 'sum(rate(http_requests_total{status=~"3.."}[5m]))',
        'a:b:e': 'sum(rate(http_request_duration_seconds_bucket{le="1"}[5m]))',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'method="get" matches none of the values of http_requests_total\'s method: GET, POST',
      'status=~"3.." matches none of the values of http_requests_total\'s status: 200, 404, 500',
      'le="1" matches none of the values of http_request_duration_seconds_bucket\'s le: 0.1, 0.5, 1.0, +Inf',
    ]);
  });

  it('accepts listed values, open-ended labels and Grafana variables', async () => {
    const findings = await run(unknownLabelValue, {
      ...records({
        'a:b:c': 'sum(rate(http_requests_total{method="GET", status!~"2..", route="/anything"}[5m]))',
      }),
      ...queries('sum(rate(http_requests_total{method=~"$method"}[$__rate_interval]))'),
    });
    expect(findings).toEqual([]);
  });

  it("judges ALERTS' alertname and alertstate against the project's alerting rules", async () => {
    const alerts = rules(
      alert('TargetDown', 'up == 0', { labels: { severity: 'critical', team: 'platform' } }) +
        alert('HighErrorRate', 'sum by (job) (rate(http_requests_total{status="500"}[5m])) > 1'),
    );
    const findings = await run(unknownLabelValue, {
      ...alerts,
      ...queries(
        'ALERTS{alertname="TargetDown", alertstate="firing", severity="critical"}',
        'ALERTS_FOR_STATE{alertname=~"High.*"}',
        'ALERTS{alertname="TargetDwn"}',
        'ALERTS{alertstate="fired"}',
        'ALERTS_FOR_STATE{severity="page"}',
      ),
    });
    expect(findings.map((f) => f.message)).toEqual([
      'alertname="TargetDwn" matches none of the values of ALERTS\'s alertname: TargetDown, HighErrorRate',
      'alertstate="fired" matches none of the values of ALERTS\'s alertstate: pending, firing',
      'severity="page" matches none of the values of ALERTS_FOR_STATE\'s severity: critical, warning',
    ]);
    expect(findings[0]!.hint).toBe(
      "the project's alerting rules write only these: fix the value, or define the alert",
    );
  });

  it('does not judge ALERTS without alerting rules in the project (they may be defined elsewhere)', async () => {
    expect(await run(unknownLabelValue, queries('ALERTS{alertname="Anything"}'))).toEqual([]);
  });

  it('lists at most twelve values', async () => {
    const many = Array.from({ length: 14 }, (_, i) => alert(`Alert${String(i).padStart(2, '0')}`, 'up == 0'));
    const [finding] = await run(unknownLabelValue, {
      ...rules(many.join('')),
      ...queries('ALERTS{alertname="Other"}'),
    });
    expect(finding!.message).toBe(
      'alertname="Other" matches none of the values of ALERTS\'s alertname: Alert00, Alert01, Alert02, Alert03, Alert04, Alert05, Alert06, Alert07, Alert08, Alert09, Alert10, Alert11, … (2 more)',
    );
  });

  it('does not judge != and !~: excluding a value that is not listed still selects what it should', async () => {
    const findings = await run(
      unknownLabelValue,
      records({ 'a:b:c': 'sum(rate(http_requests_total{status!="499", method!~"TRACE|CONNECT"}[5m]))' }),
    );
    expect(findings).toEqual([]);
  });
});
