import { describe, expect, it } from 'vitest';
import { toYaml } from '../src/emit/yaml.ts';

describe('toYaml', () => {
  it('prints a document again as it printed it the first time', () => {
    const group = { groups: [{ name: 'g', rules: [{ record: 'a:b', expr: 'sum(x)' }] }] };
    expect(toYaml(structuredClone(group))).toBe(toYaml(group));
    expect(toYaml(group)).toBe(
      'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sum(x)\n',
    );
  });

  it('keeps documents apart that JSON cannot tell apart', () => {
    // Printed in this order, a cache keyed by plain JSON would hand NaN's text to null, -0's to 0.
    expect(toYaml({ value: Number.NaN })).toBe('value: .nan\n');
    expect(toYaml({ value: null })).toBe('value: null\n');
    expect(toYaml({ value: Number.POSITIVE_INFINITY })).toBe('value: .inf\n');
    expect(toYaml({ value: -0 })).toBe('value: -0\n');
    expect(toYaml({ value: 0 })).toBe('value: 0\n');
  });
});
