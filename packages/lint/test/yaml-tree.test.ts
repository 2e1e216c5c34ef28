import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RuleFileTree, ruleFileTrees } from '@o11y/promql';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq } from 'yaml';
import { PositionedDocument, type ReadFile } from '../src/load/document.ts';

// Rule files read from Prometheus's YAML tree (go/rules/tree.go) must be the documents lint's own
// parser gives: every node's kind, style, value (as yaml resolves it), format and range, and the
// line:column of every offset. Files outside the tree's subset must be left to that parser.

/** A node as lint reads it: kinds, styles, values, and where each node starts and a scalar's value ends. */
function dump(node: unknown): unknown {
  if (isScalar(node)) return ['scalar', node.type, node.value, node.format, node.range?.slice(0, 2)];
  if (isMap(node))
    return [
      'map',
      !!node.flow,
      node.range?.[0],
      node.items.map((pair) => [dump(pair.key), dump(pair.value)]),
    ];
  if (isSeq(node)) return ['seq', !!node.flow, node.range?.[0], node.items.map(dump)];
  return ['other', String(node)];
}

/** What the tree gives for `text`, and what yaml's parser gives, side by side. */
function compare(file: string, text: string, tree: RuleFileTree) {
  const read = (file: ReadFile) => ({
    errors: file.errors,
    root: dump(file.roots[0]),
    json: file.roots[0]?.toJSON(),
    positions: Array.from({ length: text.length + 1 }, (_, offset) => file.document.at(offset)),
  });
  return {
    ours: read(PositionedDocument.fromTree(file, text, tree)),
    yaml: read(PositionedDocument.parseAll(file, text)),
  };
}

async function treesOf(texts: readonly string[]) {
  const read = await ruleFileTrees(texts);
  return texts.map((_, index) => read.tree(index));
}

/** A small seeded generator, so that a failure is the same on every run. */
function generator(seed: number) {
  let state = seed;
  const below = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  return { below, pick: <T>(list: readonly T[]): T => list[below(list.length)]! };
}

const PLAIN = [
  '5m',
  '1',
  '1.0',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '1e3',
  '+1',
  '-0',
  '.5',
  '1.',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'True',
  'FALSE',
  'yes',
  'off',
  'null',
  'Null',
  '~',
  'critical',
  'a b',
  'a:b',
  'http://x/y?z=1#f',
  'sum(rate(http_requests_total{job="api"}[5m])) by (code)',
  'up == 0',
  "it's",
  '{{ $labels.instance }} is down',
];
const TEXTS = [
  'a',
  "it's",
  'say "hi"',
  'tab\there',
  'back\\slash',
  'x # not a comment',
  'é',
  '{{ $value }}',
  '',
];

function scalar(g: ReturnType<typeof generator>, indent: string): string {
  switch (g.below(9)) {
    case 0:
    case 1:
    case 2:
      return `${g.pick(PLAIN)}${g.pick(['', '', ' ', '  # note'])}`;
    case 3:
      return `'${g.pick(TEXTS).replaceAll("'", "''")}'${g.pick(['', ' # note'])}`;
    case 4:
      return `${JSON.stringify(g.pick(TEXTS))
        .replace('a', g.pick(['a', '\\x61', '\\u0061']))
        .replace('\\t', g.pick(['\\t', '\\u0009']))}${g.pick(['', ' '])}`;
    case 5: {
      const lines = Array.from({ length: 1 + g.below(3) }, () => g.pick(PLAIN));
      const body = lines
        .map((line, index) =>
          index > 0 && g.below(3) === 0 ? `\n${indent}    ${line}` : `${indent}  ${line}`,
        )
        .join('\n');
      return `${g.pick(['|', '|-', '>', '>-', '| # c'])}\n${body}\n${g.pick(['', '\n', `${indent}\n`])}`;
    }
    case 6:
      // Over several lines: plain and single-quoted ones are left to yaml's parser, double-quoted kept.
      return g.pick([
        `plain\n${indent}  more`,
        `'single\n${indent}  more'`,
        `"double\n${indent}  more \\" end"`,
      ]);
    case 7:
      return `{${g.pick(['', 'a: 1', 'a: 1, b: "x"', ' a: [1, 2] , b: {c: d} '])}}${g.pick(['', ' ', ' # c'])}`;
    default:
      return g.pick(['', ' ', ' # empty']);
  }
}

function ruleFile(seed: number): string {
  const g = generator(seed);
  const step = g.pick(['  ', '    ']);
  const seqIndent = g.pick(['', step]);
  const lines = [g.pick(['', '---\n', '# rules\n']) + 'groups:'];
  for (let group = 0, groups = 1 + g.below(2); group < groups; group++) {
    const at = seqIndent;
    lines.push(`${at}- name: ${scalar(g, `${at}  `)}`);
    if (g.below(2)) lines.push(`${at}  interval: ${g.pick(PLAIN)}`);
    lines.push(`${at}  ${g.pick(['rules', '"rules"', "'rules'"])}:`);
    for (let rule = 0, rules = 1 + g.below(3); rule < rules; rule++) {
      const inner = `${at}  ${seqIndent}`;
      lines.push(`${inner}- ${g.pick(['alert', 'record'])}: ${scalar(g, `${inner}  `)}`);
      for (const key of ['expr', 'for', 'labels', 'annotations']) {
        if (g.below(4) === 0) continue;
        if ((key === 'labels' || key === 'annotations') && g.below(2)) {
          lines.push(`${inner}  ${key}:`);
          for (let n = 0, count = 1 + g.below(3); n < count; n++)
            lines.push(
              `${inner}${step}${step.length === 2 ? '  ' : ''}k${n}: ${scalar(g, `${inner}${step}  `)}`,
            );
          continue;
        }
        lines.push(`${inner}  ${key}: ${scalar(g, `${inner}  `)}`);
        if (g.below(5) === 0) lines.push('');
      }
    }
  }
  return `${lines.join('\n')}${g.pick(['\n', '', '\n\n', '\n# end\n', '\n...\n'])}`;
}

describe('rule files read from the YAML tree of Prometheus’s parser', () => {
  it('are the documents yaml’s parser gives, for thousands of generated files', async () => {
    const texts = Array.from({ length: 3_000 }, (_, seed) => ruleFile(seed));
    const trees = await treesOf(texts);
    let read = 0;
    for (const [seed, tree] of trees.entries()) {
      if (!tree) continue;
      read += 1;
      const { ours, yaml } = compare(`seed-${seed}.yml`, texts[seed]!, tree);
      if (yaml.errors.length === 0) expect({ seed, ...ours }).toEqual({ seed, ...yaml });
      else expect.soft({ seed, text: texts[seed], errors: yaml.errors }).toBeUndefined();
    }
    // Most generated files are in the subset; the rest exercise the fallback.
    expect(read).toBeGreaterThan(texts.length / 3);
    expect(read).toBeLessThan(texts.length);
  });

  it('leave files outside the subset to yaml’s parser', async () => {
    const texts = [
      'groups:\n  - name: é\n', // not ASCII
      'groups:\r\n  - name: a\r\n', // CR LF
      'groups: &g []\n', // anchors
      'groups: !!seq []\n', // tags
      'groups:\n  - name: a\n---\ngroups: []\n', // two documents
      'kind: List\nitems: []\n', // not a rule file
      'groups: [\n', // broken
      'groups:\n  - name: |2\n      a\n', // an indentation indicator
      'groups:\n  - name: |+\n    a\n\n', // keep chomping
    ];
    expect((await treesOf(texts)).map((tree) => tree === undefined)).toEqual(texts.map(() => true));
  });

  it('are the documents yaml’s parser gives for every rule file of this repository’s fixtures', async () => {
    const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
    const files = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => path.join(fixtures, file));
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    const trees = await treesOf(texts);
    expect(trees.filter(Boolean).length).toBeGreaterThan(10);
    for (const [index, tree] of trees.entries()) {
      if (!tree) continue;
      const { ours, yaml } = compare(files[index]!, texts[index]!, tree);
      expect({ file: files[index], ...ours }).toEqual({ file: files[index], ...yaml });
    }
  });
});
