import type { Diagnostic, RuleGroupModel, RuleModel, SourceLocation } from '@o11y/core';
import { type ParserOptions, validateRuleFiles } from '@o11y/promql';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import {
  asMap,
  type ExpressionOrigin,
  field,
  items,
  type PositionedDocument,
  stringRecord,
  text,
} from './document.ts';
import type { RuleFileSource } from './files.ts';

export interface LoadedRules {
  readonly groups: RuleGroupModel[];
  readonly origins: Map<RuleModel, ExpressionOrigin>;
  readonly problems: Diagnostic[];
}

/**
 * The groups of a Prometheus rule file (`groups` of a document), a Mimir namespace file (`namespace`
 * + `groups`) or a PrometheusRule resource (`spec.groups`), read into the model with the file:line of
 * every group and rule. Anything the rule is not made of (an unknown field, a bad duration) is left to
 * `validateRules`.
 */
export function loadRuleGroups(document: PositionedDocument, groupsNode: Node): LoadedRules {
  const loaded: LoadedRules = { groups: [], origins: new Map(), problems: [] };
  for (const groupNode of items(groupsNode)) {
    const group = asMap(groupNode);
    const name = text(group, 'name');
    if (!group || !name) continue;
    const rules = items(field(group, 'rules')).flatMap((ruleNode) => {
      const rule = loadRule(document, asMap(ruleNode), loaded);
      return rule ? [rule] : [];
    });
    const limit = text(group, 'limit');
    const interval = text(group, 'interval');
    const queryOffset = text(group, 'query_offset');
    const labels = stringRecord(group, 'labels');
    loaded.groups.push({
      name,
      file: document.file,
      rules,
      source: document.locate(groupNode),
      ...(interval !== undefined && { interval }),
      ...(limit !== undefined && { limit: Number(limit) }),
      ...(queryOffset !== undefined && { queryOffset }),
      ...(Object.keys(labels).length > 0 && { labels }),
    });
  }
  return loaded;
}

function loadRule(document: PositionedDocument, rule: YAMLMap | undefined, loaded: LoadedRules) {
  const alert = text(rule, 'alert');
  const record = text(rule, 'record');
  const expr = text(rule, 'expr');
  // promtool reports a rule without a name or an expression (validateRules); lint skips it.
  if ((alert === undefined) === (record === undefined) || expr === undefined) return undefined;
  const forDuration = text(rule, 'for');
  const keepFiringFor = text(rule, 'keep_firing_for');
  const model: RuleModel = {
    kind: alert !== undefined ? 'alert' : 'record',
    name: alert ?? record ?? '',
    expr,
    labels: stringRecord(rule, 'labels'),
    annotations: stringRecord(rule, 'annotations'),
    source: document.locate(rule),
    ...(forDuration !== undefined && { for: forDuration }),
    ...(keepFiringFor !== undefined && { keepFiringFor }),
  };
  loaded.origins.set(model, document.origin(field(rule, 'expr')));
  return model;
}

/**
 * The rule file inside `node` (a whole document, or a PrometheusRule's `spec`) as text of its own, and
 * where its line:column are in the document: a block mapping is cut out and dedented, a flow one kept.
 */
function ruleFileText(document: PositionedDocument, node: Node): PlacedText {
  const [start, end] = node.range ?? [0, document.text.length];
  const indent = start - (document.text.lastIndexOf('\n', start - 1) + 1);
  return textOf(document, start, end, isMap(node) && !node.flow ? indent : 0);
}

interface PlacedText {
  readonly text: string;
  readonly place: (line: number, column: number) => SourceLocation;
}

/** `document.text` from `start` to `end`, with up to `dedent` leading spaces cut from every line but the first. */
function textOf(document: PositionedDocument, start: number, end: number, dedent: number): PlacedText {
  const lines = document.text.slice(start, end).split('\n');
  const starts: number[] = [];
  const removed: number[] = [];
  let offset = start;
  const kept = lines.map((line, index) => {
    starts.push(offset);
    offset += line.length + 1;
    const cut = index === 0 ? 0 : Math.min(dedent, line.length - line.trimStart().length);
    removed.push(cut);
    return line.slice(cut);
  });
  return {
    text: kept.join('\n'),
    place: (line, column) => {
      const index = Math.min(Math.max(line, 1), starts.length) - 1;
      return document.at(starts[index]! + removed[index]! + column - 1);
    },
  };
}

/** The node a problem without a position is about: the rule it names, the annotation or label it names in it. */
function locateProblem(
  node: Node,
  problem: { message: string; group?: string; rule?: number },
): Node | undefined {
  const groups = items(field(asMap(node), 'groups'));
  const group = asMap(groups.find((g) => text(asMap(g), 'name') === problem.group));
  if (!group) {
    // A message quoting a value (a bad duration: `unknown unit "m" in duration "5mins"`) points at the
    // scalar holding it.
    const quoted = [...problem.message.matchAll(/"([^"]*)"/g)].map((match) => match[1]!).reverse();
    for (const value of quoted) {
      const found = findScalar(node, value);
      if (found) return found;
    }
    return undefined;
  }
  const rule = asMap(items(field(group, 'rules'))[(problem.rule ?? 1) - 1]);
  const named = /^(annotation|label) "([^"]+)"/.exec(problem.message);
  if (named)
    return field(asMap(field(rule, named[1] === 'label' ? 'labels' : 'annotations')), named[2]!) ?? rule;
  return rule ?? group;
}

function findScalar(node: Node | null | undefined, value: string): Node | undefined {
  if (isScalar(node)) return String(node.value) === value ? node : undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      const found = findScalar(pair.value as Node, value);
      if (found) return found;
    }
  }
  for (const item of items(node)) {
    const found = findScalar(item, value);
    if (found) return found;
  }
  return undefined;
}

/**
 * What the pinned `promtool check rules` rejects in each rule file (a document's `node`: the whole
 * document, or a PrometheusRule's `spec`), through upstream's own rulefmt (strict fields, durations,
 * label and annotation names, Go templates, duplicate keys; not the PromQL, which promql/syntax parses
 * with the same parser), each at the file:line it names or, when it names none, at the rule,
 * annotation or value it is about. One list per file, in order.
 */
export async function validateRules(
  files: readonly RuleFileSource[],
  parser: ParserOptions,
): Promise<{ message: string; source: SourceLocation }[][]> {
  // A file validated whole (loadFiles asked before reading it) is its own text; the rest are cut out.
  const texts = files.map((file) =>
    file.validated
      ? textOf(file.document, 0, file.document.text.length, 0)
      : ruleFileText(file.document, file.node),
  );
  const rest = files.flatMap((file, index) => (file.validated ? [] : [index]));
  const restResults = await validateRuleFiles(
    rest.map((index) => texts[index]!.text),
    parser,
    { expressions: false },
  );
  let next = 0;
  const results = await Promise.all(files.map((file) => file.validated ?? restResults[next++]!));
  return results.map((problems, index) => {
    // `node` only when a problem names no line: a file validated whole reads itself again for it.
    const file = files[index]!;
    const { place } = texts[index]!;
    return problems.map((problem) => {
      if (problem.line !== undefined)
        return { message: problem.message, source: place(problem.line, problem.column ?? 1) };
      const { node } = file;
      return { message: problem.message, source: file.document.locate(locateProblem(node, problem) ?? node) };
    });
  });
}
