import { describe, expect, it } from 'vitest';
import { withoutFamilies } from '../src/exposition.ts';

const TEXT = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{route="/a"} 3
# HELP http_request_duration_seconds Duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="+Inf"} 3
http_request_duration_seconds_sum 0.3
http_request_duration_seconds_count 3
# HELP up_time Gauge whose name starts like another.
# TYPE up_time gauge
up_time 1
`;

describe('withoutFamilies', () => {
  it('drops a histogram family with its metadata, buckets, sum and count', () => {
    const out = withoutFamilies(TEXT, new Set(['http_request_duration_seconds']));
    expect(out).not.toContain('http_request_duration_seconds');
    expect(out).toContain('http_requests_total{route="/a"} 3');
    expect(out).toContain('up_time 1');
  });

  it('drops a counter by its family name and leaves families that only share a prefix', () => {
    const out = withoutFamilies(TEXT, new Set(['http_requests_total', 'up']));
    expect(out).not.toContain('http_requests_total');
    expect(out).toContain('up_time 1');
  });

  it('returns the text unchanged when nothing is hidden', () => {
    expect(withoutFamilies(TEXT, new Set())).toBe(TEXT);
  });

  it('drops an OpenMetrics counter family, whose metadata names it without _total', () => {
    const openMetrics =
      '# HELP jobs Jobs.\n# TYPE jobs counter\njobs_total 4\n# TYPE jobs_left gauge\njobs_left 1\n# EOF\n';
    expect(withoutFamilies(openMetrics, new Set(['jobs_total']))).toBe(
      '# TYPE jobs_left gauge\njobs_left 1\n# EOF\n',
    );
  });
});
