import { beforeAll, describe, expect, it } from 'vitest';
import { validateRuleFile } from '../src/rules.ts';
import { initRuleValidator } from '../src/wasm.ts';

beforeAll(() => initRuleValidator(), 60_000);

const file = (rule: string) => `groups:\n  - name: g\n    rules:\n${rule}`;

describe('validateRuleFile (upstream rulefmt, as promtool check rules)', () => {
  it('accepts a valid file and reports what promtool reports, with its positions', () => {
    expect(validateRuleFile(file('      - alert: A\n        expr: up == 0\n        for: 5m\n'))).toEqual([]);
    expect(validateRuleFile(file('      - alert: A\n        expr: up == 0\n        fro: 5m\n'))).toEqual([
      { message: 'field fro not found in type rulefmt.Rule', line: 6, column: 1 },
    ]);
    expect(
      validateRuleFile(
        file('      - alert: A\n        expr: up\n        annotations:\n          x: "{{ nope }}"\n'),
      ),
    ).toEqual([
      {
        message: 'annotation "x": template: __alert_A:1: function "nope" not defined',
        group: 'g',
        rule: 1,
      },
    ]);
  });

  it('parses expressions with the parser features asked for', () => {
    const sorted = file('      - record: a:b:c\n        expr: sort_by_label(up, "job")\n');
    expect(validateRuleFile(sorted).map((p) => p.message)).toEqual([
      'could not parse expression: 1:1: parse error: function "sort_by_label" is not enabled',
    ]);
    expect(validateRuleFile(sorted, { experimentalFunctions: true })).toEqual([]);
    // Left to the caller: every other check still runs.
    expect(validateRuleFile(sorted, {}, { expressions: false })).toEqual([]);
    const broken = file(
      '      - alert: A\n        expr: up ==\n        annotations:\n          x: "{{ nope }}"\n',
    );
    expect(validateRuleFile(broken, {}, { expressions: false }).map((p) => p.message)).toEqual([
      'annotation "x": template: __alert_A:1: function "nope" not defined',
    ]);
  });
});
