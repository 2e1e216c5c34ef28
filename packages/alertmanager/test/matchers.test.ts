import { describe, expect, it } from 'vitest';
import { formatMatcher, type Matcher, Matching, matches, parseMatcher } from '../src/matchers.ts';

describe('matchers', () => {
  it('writes name="value" with the value escaped, and reads it back', () => {
    const tricky: Matcher = { name: 'summary', operator: '=', value: 'a "quoted" \\ back\nslash' };
    const text = formatMatcher(tricky);
    expect(text).toBe('summary="a \\"quoted\\" \\\\ back\\nslash"');
    expect(parseMatcher(text)).toEqual(tricky);
  });

  it('turns value lists into an escaped alternation that matches exactly those values', () => {
    const m = new Matching<{ service: 'a.b' | 'c' | 'd' }>()
      .where('service', ['a.b', 'c'])
      .whereNot('service', ['d']);
    expect(m.matchers.map(formatMatcher)).toEqual(['service=~"a\\\\.b|c"', 'service!~"d"']);
    expect(matches(m.matchers[0]!, { service: 'a.b' })).toBe(true);
    expect(matches(m.matchers[0]!, { service: 'axb' })).toBe(false);
    expect(matches(m.matchers[1]!, { service: 'd' })).toBe(false);
  });

  it('anchors regexes and treats a missing label as empty, like Alertmanager', () => {
    const regex: Matcher = { name: 'service', operator: '=~', value: 'pay' };
    expect(matches(regex, { service: 'payments' })).toBe(false);
    expect(matches({ name: 'team', operator: '=', value: '' }, {})).toBe(true);
    expect(matches({ name: 'team', operator: '!=', value: 'x' }, {})).toBe(true);
  });

  it('rejects an empty value list where it is written', () => {
    expect(() => new Matching<{ team: 'a' }>().where('team', [])).toThrow(/empty list of values/);
  });

  it('types label names and values by the vocabulary', () => {
    const m = new Matching<{ severity: 'critical' | 'warning'; slo?: string }>();
    m.where('severity', 'critical').where('slo', 'anything').where('alertname', 'Free');
    // @ts-expect-error: no rule sets a "sevrity" label
    m.where('sevrity', 'critical');
    // @ts-expect-error: no rule uses that severity
    m.where('severity', 'critcal');
    expect(m.matchers).toHaveLength(5);
  });
});
