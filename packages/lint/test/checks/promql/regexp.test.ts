import { describe, expect, it } from 'vitest';
import { regexp } from '../../../src/checks/promql/regexp.ts';
import { queries, records, run } from '../../helpers.ts';

describe('promql/regexp', () => {
  it('reports pointless, anchored and literal regexes', async () => {
    const findings = await run(
      regexp,
      records({
        'a:b:c': 'sum(http_requests_total{route=~".*"})',
        'a:b:d': 'sum(http_requests_total{status=~"^5..$"})',
        'a:b:e': 'sum(http_requests_total{method=~"GET"})',
        'a:b:f': 'sum(http_requests_total{method!~".*"})',
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'route=~".*": matches every series, with or without the label',
      'status=~"^5..$": anchors are redundant: label regexes are always fully anchored',
      'method=~"GET": regex without special characters is an exact match',
      'method!~".*": matches no series at all',
    ]);
  });

  it('accepts real patterns and Grafana variables', async () => {
    expect(await run(regexp, records({ 'a:b:c': 'sum(http_requests_total{status=~"5..|404"})' }))).toEqual(
      [],
    );
    expect(await run(regexp, queries('sum(http_requests_total{job=~"$job"})'))).toEqual([]);
  });
});
