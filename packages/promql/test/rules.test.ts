import { describe, expect, it } from 'vitest';
import { validateRuleFiles } from '../src/rules.ts';

const file = (rule: string) => `groups:\n  - name: g\n    rules:\n${rule}`;

describe('validateRuleFiles (upstream rulefmt, as promtool check rules)', () => {
  it('accepts a valid file and reports what promtool reports, with its positions, per file in order', async () => {
    expect(
      await validateRuleFiles([
        file('      - alert: A\n        expr: up == 0\n        for: 5m\n'),
        file('      - alert: A\n        expr: up == 0\n        fro: 5m\n'),
        file('      - alert: A\n        expr: up\n        annotations:\n          x: "{{ nope }}"\n'),
      ]),
    ).toEqual([
      [],
      [{ message: 'field fro not found in type rulefmt.Rule', line: 6, column: 1 }],
      [
        {
          message: 'annotation "x": template: __alert_A:1: function "nope" not defined',
          group: 'g',
          rule: 1,
        },
      ],
    ]);
  });

  it('parses expressions with the parser features asked for', async () => {
    const sorted = file('      - record: a:b:c\n        expr: sort_by_label(up, "job")\n');
    expect((await validateRuleFiles([sorted])).flat().map((p) => p.message)).toEqual([
      'could not parse expression: 1:1: parse error: function "sort_by_label" is not enabled',
    ]);
    expect(await validateRuleFiles([sorted], { experimentalFunctions: true })).toEqual([[]]);
    // Left to the caller: every other check still runs.
    expect(await validateRuleFiles([sorted], {}, { expressions: false })).toEqual([[]]);
    const broken = file(
      '      - alert: A\n        expr: up ==\n        annotations:\n          x: "{{ nope }}"\n',
    );
    expect(
      (await validateRuleFiles([broken], {}, { expressions: false })).flat().map((p) => p.message),
    ).toEqual(['annotation "x": template: __alert_A:1: function "nope" not defined']);
  });

  it('gives every text a result, whatever it holds, and asks for nothing when given nothing', async () => {
    const texts = [
      '',
      'groups: [',
      '\u0000\uffff',
      'groups:\n  - name: x\n    rules: 3\n',
      'a: 1\n---\nb: 2\n',
    ];
    const results = await validateRuleFiles(texts);
    expect(results).toHaveLength(texts.length);
    expect(results[0]).toEqual([]);
    expect(results[1]!.length).toBeGreaterThan(0);
    expect(results[3]!.length).toBeGreaterThan(0);
    expect(await validateRuleFiles([])).toEqual([]);
  });
});
