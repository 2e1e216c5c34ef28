import { compareCodePoints, DIST } from '@o11y/core';
import { parse } from 'yaml';
import { type DistTree, filesUnder } from '../built/tree.ts';
import type { Change, DiffOptions, ItemDiff, SectionDiff } from './model.ts';
import { asArray, asRecord, equal, type Json, mapChanges, queryChange, show } from './values.ts';

interface RuleEntry {
  readonly id: string;
  readonly file: string;
  readonly group: Json;
  readonly rule: Json;
}

/**
 * Rules of a build keyed `group/name` (`#2`… for a name repeated in a group). Prometheus rule files
 * are the reference; Mimir namespaces hold the same rules and are read only when a build has no
 * Prometheus rule files, so one change is not reported twice.
 */
function rulesOf(tree: DistTree, dirs: readonly string[]): Map<string, RuleEntry> {
  const out = new Map<string, RuleEntry>();
  for (const dir of dirs) {
    const files = filesUnder(tree, dir, ['.yml', '.yaml']);
    if (files.length === 0) continue;
    for (const file of files) {
      const parsed = asRecord(parse(tree.files.get(file)!));
      for (const g of asArray(parsed.groups)) {
        const group = asRecord(g);
        const seen = new Map<string, number>();
        for (const r of asArray(group.rules)) {
          const rule = asRecord(r);
          const name = String(rule.record ?? rule.alert ?? '');
          const count = (seen.get(name) ?? 0) + 1;
          seen.set(name, count);
          const id = `${String(group.name)}/${name}${count > 1 ? `#${count}` : ''}`;
          out.set(id, { id, file: file.slice(file.indexOf('/') + 1), group, rule });
        }
      }
    }
    return out;
  }
  return out;
}

const RULE_DIRS = [DIST.prometheus.rulesDir, DIST.mimir.dir];

function ruleChanges(a: RuleEntry, b: RuleEntry, options: DiffOptions): Change[] {
  const changes: Change[] = [];
  const kind = (r: Json) => (r.alert !== undefined ? 'alert' : 'recording rule');
  if (a.file !== b.file) changes.push({ kind: 'file', subject: 'file', before: a.file, after: b.file });
  if (a.rule.expr !== b.rule.expr) {
    changes.push(
      queryChange('expr', `${kind(b.rule)} expression`, String(a.rule.expr), String(b.rule.expr), options),
    );
  }
  for (const field of ['for', 'keep_firing_for']) {
    if (!equal(a.rule[field], b.rule[field]))
      changes.push({ kind: field, subject: field, before: show(a.rule[field]), after: show(b.rule[field]) });
  }
  changes.push(...mapChanges('label', 'label', a.rule.labels, b.rule.labels));
  changes.push(...mapChanges('annotation', 'annotation', a.rule.annotations, b.rule.annotations));
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

export function diffRules(base: DistTree, head: DistTree, options: DiffOptions): SectionDiff {
  const a = rulesOf(base, RULE_DIRS);
  const b = rulesOf(head, RULE_DIRS);
  const items: ItemDiff[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort(compareCodePoints)) {
    const ra = a.get(id);
    const rb = b.get(id);
    if (!ra)
      items.push({
        id,
        title: id,
        status: 'added',
        location: rb!.file,
        changes: [queryChange('expr', 'expression', '', String(rb!.rule.expr), options)],
      });
    else if (!rb) items.push({ id, title: id, status: 'removed', location: ra.file, changes: [] });
    else {
      const changes = ruleChanges(ra, rb, options);
      if (changes.length > 0) items.push({ id, title: id, status: 'changed', location: rb.file, changes });
    }
  }
  return { name: 'Rules', items };
}
