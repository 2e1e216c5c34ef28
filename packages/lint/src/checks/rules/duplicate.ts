import { compareCodePoints, formatSource, type RuleGroupModel, type RuleModel } from '@o11y/core';
import { push } from '../../analysis/shape.ts';
import { defineCheck } from '../../check.ts';
import type { LintProject, RuleEntry } from '../../project.ts';

/**
 * Whether two recording rules of one name and labels can write the same series: not when a label both
 * results carry has disjoint known values (one rule per service, each selecting its own service).
 */
function mayOverlap(project: LintProject, a: RuleEntry, b: RuleEntry): boolean {
  const left = project.shapeOf(a.expression);
  const right = project.shapeOf(b.expression);
  if (!left || !right) return true;
  for (const [label, bound] of left.labels) {
    const other = right.labels.get(label);
    if (bound.values && other?.values && !bound.values.some((v) => other.values!.includes(v))) return false;
  }
  return true;
}

/**
 * The earlier rules of one identity, indexed by the known values of one label of theirs (the first
 * the first rule's result has values for): a rule per service is then compared with the rules of its
 * own service, not with every service's. A rule without values for that label is compared with all.
 */
class Writers {
  private readonly entries: RuleEntry[] = [];
  /** How many of `entries` are indexed: shapes are worked out only once a second rule comes. */
  private indexed = 0;
  /** Undefined until the first rule is indexed; null when it had no label with known values. */
  private label: string | null | undefined;
  private readonly byValue = new Map<string, number[]>();
  private readonly unbound: number[] = [];

  constructor(private readonly project: LintProject) {}

  get first(): RuleEntry | undefined {
    return this.entries[0];
  }

  add(entry: RuleEntry): void {
    this.entries.push(entry);
  }

  /** The first earlier rule whose results may overlap `entry`'s. */
  overlapping(entry: RuleEntry): RuleEntry | undefined {
    if (this.entries.length === 0) return undefined;
    for (; this.indexed < this.entries.length; this.indexed++) this.index(this.indexed);
    const values = this.valuesOf(entry);
    const candidates = values
      ? [...new Set([...this.unbound, ...values.flatMap((value) => this.byValue.get(value) ?? [])])].sort(
          (a, b) => a - b,
        )
      : this.entries.keys();
    for (const position of candidates) {
      const other = this.entries[position]!;
      if (mayOverlap(this.project, other, entry)) return other;
    }
    return undefined;
  }

  private index(position: number): void {
    const entry = this.entries[position]!;
    if (this.label === undefined) {
      const shape = this.project.shapeOf(entry.expression);
      this.label = [...(shape?.labels ?? [])].find(([, bound]) => bound.values)?.[0] ?? null;
    }
    const values = this.valuesOf(entry);
    if (!values) {
      this.unbound.push(position);
      return;
    }
    for (const value of new Set(values)) push(this.byValue, value, position);
  }

  private valuesOf(entry: RuleEntry): readonly string[] | undefined {
    if (!this.label) return undefined;
    return this.project.shapeOf(entry.expression)?.labels.get(this.label)?.values;
  }
}

/** The series a rule writes (records) or the alerts it raises: name plus static labels. */
function identity(group: RuleGroupModel, rule: RuleModel): string {
  const labels = { ...group.labels, ...rule.labels };
  const sorted = Object.keys(labels)
    .sort(compareCodePoints)
    .map((k) => `${k}=${labels[k]}`);
  return `${rule.kind}\u0000${rule.name}\u0000${sorted.join('\u0000')}`;
}

export const duplicate = defineCheck({
  id: 'rules/duplicate',
  severity: 'error',
  doc: `Two groups of one rule file with the same name are rejected by Prometheus. Two recording rules that
write the same name with the same static labels write the same series, and the later one overwrites the earlier
at every evaluation (or Prometheus reports duplicate samples), unless their results cannot overlap (a label both
carry has different known values, like one rule per service). Two alerts with the same name, labels and
expression page twice for one problem. Within one group, two rules of one name and static labels are duplicates
whatever their expressions (Prometheus's own identity of a rule; \`promtool check rules --lint=duplicate-rules\`
rejects them). Rules writing one name with different labels are fine: that is how recording rules split work
across groups. \`o11y build\` reports what promtool's lint says of the same rule once, as this check's finding.`,
  *run({ project }) {
    const groups = new Map<string, RuleGroupModel>();
    for (const group of project.model.ruleGroups) {
      const key = `${group.file}\u0000${group.name}`;
      const earlier = groups.get(key);
      if (earlier) {
        yield {
          target: { kind: 'group', group },
          message: `group ${group.name} is defined twice in ${group.file} (also at ${formatSource(earlier.source)})`,
          hint: 'rename one of them or merge their rules',
        };
      } else groups.set(key, group);
    }
    const seen = new Map<string, Writers>();
    const inGroup = new Map<string, RuleEntry>();
    for (const entry of project.rules) {
      const { group, rule, expression } = entry;
      const key = identity(group, rule) + (rule.kind === 'alert' ? `\u0000${rule.expr}` : '');
      const writers = seen.get(key) ?? new Writers(project);
      seen.set(key, writers);
      const groupKey = `${group.file}\u0000${group.name}\u0000${identity(group, rule)}`;
      const twin = inGroup.get(groupKey);
      if (!twin) inGroup.set(groupKey, entry);
      const clash = twin ?? (rule.kind === 'alert' ? writers.first : writers.overlapping(entry));
      writers.add(entry);
      if (!clash) continue;
      // Both groups named: a helper that makes a service's rules makes every duplicate at one line.
      const other = `the one of group ${clash.group.name} at ${formatSource(clash.rule.source)}`;
      yield {
        target: expression.target,
        message:
          rule.kind === 'record'
            ? `recording rule ${rule.name} of group ${group.name} writes the same series as ${other}`
            : `alert ${rule.name} of group ${group.name} duplicates ${other}`,
        hint: 'remove one, or tell them apart with a label',
      };
    }
  },
});
