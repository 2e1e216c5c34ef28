import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { blockYaml, toYaml } from '../src/emit/yaml.ts';
import { checkout } from './fixtures.ts';
import { build } from './helpers.ts';

describe('toYaml', () => {
  it('prints a document again as it printed it the first time', () => {
    const group = { groups: [{ name: 'g', rules: [{ record: 'a:b', expr: 'sum(x)' }] }] };
    expect(toYaml(structuredClone(group))).toBe(toYaml(group));
    expect(toYaml(group)).toBe(
      'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sum(x)\n',
    );
  });

  it('keeps documents apart that JSON cannot tell apart', () => {
    expect(toYaml({ value: Number.NaN })).toBe('value: .nan\n');
    expect(toYaml({ value: null })).toBe('value: null\n');
    expect(toYaml({ value: Number.POSITIVE_INFINITY })).toBe('value: .inf\n');
    expect(toYaml({ value: -0 })).toBe('value: -0\n');
    expect(toYaml({ value: 0 })).toBe('value: 0\n');
  });
});

describe('blockYaml', () => {
  const options = { lineWidth: 0, aliasDuplicateObjects: false, indent: 2 } as const;
  // Every character the yaml package's choice of plain, single- or double-quoted style depends on.
  const alphabet = [...'ab1.0-+?:#, \t\'"[]{}&*!|>%@`~eExXoN_/$×\\'];
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const word = () => Array.from({ length: random(7) }, () => alphabet[random(alphabet.length)]).join('');
  // A string of every spelling of the core schema's null, booleans and numbers, one per first character
  // at least: each must be quoted as the package quotes it.
  const typed = [
    ...['null', 'Null', 'NULL', '~', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
    ...['0o17', '-12', '+7', '0x1F', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '1e3', '-.5', '1.'],
    ...['---a', '...'],
  ];
  const data = (depth: number): unknown => {
    const pick = random(depth > 3 ? 4 : 8);
    if (pick === 0) return random(2) === 0 ? word() : typed[random(typed.length)];
    if (pick === 1) return [0, -0, 1.5, -3, 1e21, Number.NaN, Number.POSITIVE_INFINITY][random(7)];
    if (pick === 2) return [true, false, null][random(3)];
    if (pick === 3) return word();
    if (pick < 6) return Array.from({ length: random(4) }, () => data(depth + 1));
    return Object.fromEntries(Array.from({ length: random(4) }, () => [word(), data(depth + 1)]));
  };

  it("quotes every spelling of the core schema's null, booleans and numbers as the package does", () => {
    for (const text of typed.filter((t) => !t.startsWith('---') && !t.startsWith('...'))) {
      const value = { [text]: text, list: [text] };
      expect(blockYaml(value)).toBe(stringify(value, options));
    }
  });

  it('prints plain data exactly as the yaml package does', () => {
    let printed = 0;
    for (let i = 0; i < 5000; i++) {
      const value = random(2) === 0 ? { top: data(0), [word()]: data(0) } : [data(0), data(1)];
      const text = blockYaml(value);
      if (text === undefined) continue;
      printed++;
      expect(text).toBe(stringify(value, options));
    }
    // Most documents are printed here, not handed back to the package.
    expect(printed).toBeGreaterThan(3500);
  });

  it('leaves to the yaml package what it does not print itself', () => {
    for (const value of [
      { a: 'line\nbreak' },
      { a: 'next\u0085line' },
      { a: '--- marker' },
      { a: 'emoji 😀' },
      { a: undefined },
      [[1]],
      'top',
      {},
      [],
      { a: new Date(0) },
    ])
      expect(blockYaml(value)).toBeUndefined();
    expect(toYaml({ a: 'line\nbreak' })).toBe(stringify({ a: 'line\nbreak' }, options));
  });

  it('prints every rule file and promtool test file of an SLO and a service itself', async () => {
    const { artifacts } = await build([checkout()]);
    const yamlFiles = artifacts.filter((a) => a.path.endsWith('.yml'));
    expect(yamlFiles.map((a) => a.path)).toHaveLength(3);
    for (const artifact of yamlFiles) expect(blockYaml(parse(artifact.content))).toBe(artifact.content);
  });
});
