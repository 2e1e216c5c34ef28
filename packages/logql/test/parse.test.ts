import { describe, expect, it } from 'vitest';
import { parseLogql, streamSelectors } from '../src/index.ts';

describe('parseLogql', () => {
  it.each([
    '{service="invoices"}',
    '{service="invoices", environment=~"$environment"} |= "error" | json | level="error"',
    'sum by (service) (rate({job="api"} |= `timeout` [$__auto]))',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
    'sum(count_over_time({app="x"} | logfmt | duration > 1s [${__interval}]))',
    'topk($k, sum by (route) (rate({app="x"}[5m])))',
    '{app="x"}\n  | line_format "{{.message}}"',
  ])('accepts %s', (query) => {
    expect(parseLogql(query)).toEqual({ ok: true });
  });

  it('points at the first mistake, not at what the recovery skipped after it', () => {
    expect(parseLogql('{service="invoices" |= ')).toEqual({
      ok: false,
      errors: [{ message: 'unexpected "|="', start: 20, end: 22, line: 1, column: 21 }],
    });
  });

  it('says so when the query ends too early, on the line it ends', () => {
    const result = parseLogql('sum(rate({app="x"}\n  [5m]');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { message: 'the query ends where more was expected', start: 25, end: 26, line: 2, column: 7 },
    ]);
  });

  it('rejects an empty selector and an empty query', () => {
    expect(parseLogql('{}')).toMatchObject({ ok: false, errors: [{ start: 1, column: 2 }] });
    expect(parseLogql('  ')).toMatchObject({ ok: false, errors: [{ start: 0 }] });
  });

  it('keeps the positions of the query as written around Grafana variables', () => {
    // `by` needs its labels: the error is at the end of the text as written, 30 characters in.
    expect(parseLogql('rate({app="$app"}[$__auto]) by')).toMatchObject({
      ok: false,
      errors: [{ message: 'the query ends where more was expected', start: 30, column: 31 }],
    });
  });
});

describe('streamSelectors', () => {
  it('lists every selector of a metric query with its matchers unquoted, at positions of the query as written', () => {
    const query = 'sum(rate({a="", b=~`.*`, c!="$x"} |= "x" [$__auto])) / sum(rate({d="e\\"f"}[5m]))';
    expect(streamSelectors(query)).toEqual([
      {
        start: 9,
        end: 33,
        matchers: [
          { label: 'a', operator: '=', value: '', start: 10, end: 14 },
          { label: 'b', operator: '=~', value: '.*', start: 16, end: 23 },
          { label: 'c', operator: '!=', value: '$x', start: 25, end: 32 },
        ],
      },
      { start: 64, end: 74, matchers: [{ label: 'd', operator: '=', value: 'e"f', start: 65, end: 73 }] },
    ]);
  });
});
