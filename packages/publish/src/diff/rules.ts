import { compareCodePoints, DIST } from '@o11y/core';
import { parse } from 'yaml';
import { type DistTree, filesUnder } from '../built/tree.ts';
import { matchItems } from './match.ts';
import type { Change, DiffOptions, ItemDiff, SectionDiff } from './model.ts';
import { asArray, asRecord, equal, type Json, mapChanges, queryChange, show } from './values.ts';

interface RuleEntry {
  /** `group/name`: a rule's identity (several rules of a group may share it, e.g. one per service). */
  readonly name: string;
  readonly file: string;
  readonly group: Json;
  readonly rule: Json;
}

/**
 * Rules of a build in file order. Prometheus rule files are the reference; Mimir namespaces hold the
 * same rules and are read only when a build has no Prometheus rule files, so one change is not
 * reported twice.
 */
function rulesOf(tree: DistTree, dirs: readonly string[]): RuleEntry[] {
  for (const dir of dirs) {
    const files = filesUnder(tree, dir, ['.yml', '.yaml']);
    if (files.length === 0) continue;
    return files.flatMap((file) =>
      asArray(asRecord(parse(tree.files.get(file)!)).groups).flatMap((g) => {
        const group = asRecord(g);
        return asArray(group.rules).map((r) => {
          const rule = asRecord(r);
          const name = `${String(group.name)}/${String(rule.record ?? rule.alert ?? '')}`;
          return { name, file: file.slice(file.indexOf('/') + 1), group, rule };
        });
      }),
    );
  }
  return [];
}

const RULE_DIRS = [DIST.prometheus.rulesDir, DIST.mimir.dir];

const EMPTY: RuleEntry = { name: '', file: '', group: {}, rule: {} };

function ruleChanges(a: RuleEntry, b: RuleEntry, options: DiffOptions): Change[] {
  const changes: Change[] = [];
  const kind = (r: Json) => (r.alert !== undefined ? 'alert' : 'recording rule');
  if (a !== EMPTY && a.file !== b.file)
    changes.push({ kind: 'file', subject: 'file', before: a.file, after: b.file });
  if (a.rule.expr !== b.rule.expr) {
    changes.push(
      queryChange(
        'expr',
        `${kind(b.rule)} expression`,
        String(a.rule.expr ?? ''),
        String(b.rule.expr),
        options,
      ),
    );
  }
  for (const field of ['for', 'keep_firing_for']) {
    if (!equal(a.rule[field], b.rule[field]))
      changes.push({
        kind: field,
        subject: field,
        ...(a !== EMPTY && { before: show(a.rule[field]) }),
        after: show(b.rule[field]),
      });
  }
  changes.push(...mapChanges('label', 'label', a.rule.labels, b.rule.labels));
  changes.push(...mapChanges('annotation', 'annotation', a.rule.annotations, b.rule.annotations));
  if (a === EMPTY) return changes;
  for (const field of ['interval', 'limit', 'query_offset']) {
    if (!equal(a.group[field], b.group[field])) {
      changes.push({
        kind: `group-${field}`,
        subject: `group ${field}`,
        before: show(a.group[field]),
        after: show(b.group[field]),
      });
    }
  }
  return changes;
}

/** A rule's labels as a selector shows them: `{service="billing", severity="critical"}`. */
const labelsText = (rule: Json) =>
  `{${Object.entries(asRecord(rule.labels))
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([name, value]) => `${name}="${String(value)}"`)
    .join(', ')}}`;

/** `group/name`, and its labels where several rules of the group share the name. */
function titles(entries: readonly RuleEntry[]): Map<RuleEntry, string> {
  const count = new Map<string, number>();
  for (const e of entries) count.set(e.name, (count.get(e.name) ?? 0) + 1);
  return new Map(
    entries.map((e) => [e, count.get(e.name)! > 1 ? `${e.name} ${labelsText(e.rule)}` : e.name]),
  );
}

/**
 * Rules paired by name and content, then by name and labels, then by name: adding a service adds its
 * rules, without shifting the other services' rules of the same name.
 */
function diffRuleFiles(
  name: string,
  dirs: readonly string[],
  base: DistTree,
  head: DistTree,
  options: DiffOptions,
): SectionDiff {
  const a = rulesOf(base, dirs);
  const b = rulesOf(head, dirs);
  const titleA = titles(a);
  const titleB = titles(b);
  const { pairs, added, removed } = matchItems(a, b, [
    (e) => `${e.name} ${show(e.rule)}`,
    (e) => `${e.name} ${labelsText(e.rule)}`,
    (e) => e.name,
  ]);
  const items: ItemDiff[] = [];
  for (const [ra, rb] of pairs) {
    const changes = ruleChanges(ra, rb, options);
    const title = titleB.get(rb)!;
    if (changes.length > 0) items.push({ id: title, title, status: 'changed', location: rb.file, changes });
  }
  for (const rb of added) {
    const title = titleB.get(rb)!;
    items.push({
      id: title,
      title,
      status: 'added',
      location: rb.file,
      changes: ruleChanges(EMPTY, rb, options),
    });
  }
  for (const ra of removed) {
    const title = titleA.get(ra)!;
    items.push({ id: title, title, status: 'removed', location: ra.file, changes: [] });
  }
  return { name, items: items.sort((x, y) => compareCodePoints(x.id, y.id)) };
}

/** The Prometheus rules of two builds. */
export function diffRules(base: DistTree, head: DistTree, options: DiffOptions): SectionDiff {
  return diffRuleFiles('Rules', RULE_DIRS, base, head, options);
}

/** The Loki rules of two builds; their LogQL is shown as written (the query formatter is PromQL's). */
export function diffLokiRules(base: DistTree, head: DistTree, options: DiffOptions): SectionDiff {
  const { formatQuery: _promql, ...asWritten } = options;
  return diffRuleFiles('Loki rules', [DIST.loki.rulesDir], base, head, asWritten);
}
