import { formatDuration, parseDuration, stableStringify } from '@o11y/core';
import { ruleGroupName } from '../names.ts';
import { loadRuleInputs, type RuleInput } from './load.ts';
import { promqlMeaning } from './promql-equal.ts';

function duration(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = formatDuration(parseDuration(value));
  return text === '0s' ? undefined : text;
}

/** A rule set reduced to what Prometheus evaluates: the normalisations the import report lists are applied. */
function meaning(input: RuleInput): Map<string, string> {
  const groups = new Map<string, string>();
  for (const group of input.groups) {
    groups.set(
      ruleGroupName(group.name),
      stableStringify({
        interval: duration(group.interval),
        limit: group.limit || undefined,
        queryOffset: duration(group.queryOffset),
        labels: group.labels,
        rules: group.rules.map((rule) => ({
          alert: rule.alert,
          record: rule.record,
          expr: promqlMeaning(rule.expr) ?? rule.expr,
          for: duration(rule.for),
          keepFiringFor: duration(rule.keepFiringFor),
          labels: rule.labels,
          annotations: rule.annotations,
        })),
      }),
    );
  }
  return groups;
}

/**
 * The semantic differences between an imported rule input and the rule file its module built:
 * empty when the round trip holds. Each difference names the group (and what differs).
 */
export function compareRuleSets(input: RuleInput, builtFile: string, builtText: string): string[] {
  const built = loadRuleInputs(builtFile, builtText)[0];
  const expected = meaning(input);
  const actual = built ? meaning(built) : new Map<string, string>();
  const differences: string[] = [];
  for (const [name, want] of expected) {
    const got = actual.get(name);
    if (got === undefined) differences.push(`group ${name}: missing from ${builtFile}`);
    else if (got !== want) differences.push(`group ${name}: differs\n  input: ${want}\n  built: ${got}`);
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) differences.push(`group ${name}: in ${builtFile} but not in ${input.file}`);
  }
  return differences;
}
