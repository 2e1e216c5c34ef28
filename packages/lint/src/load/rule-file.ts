import type { Diagnostic, RuleGroupModel, RuleModel } from '@o11y/core';
import type { YAMLMap } from 'yaml';
import {
  asMap,
  type ExpressionOrigin,
  field,
  items,
  type PositionedDocument,
  stringRecord,
  text,
} from './document.ts';

export interface LoadedRules {
  readonly groups: RuleGroupModel[];
  readonly origins: Map<RuleModel, ExpressionOrigin>;
  readonly problems: Diagnostic[];
}

/**
 * A Prometheus rule file, a Mimir namespace file (`namespace:` + `groups:`) or a PrometheusRule
 * resource (`spec.groups`), read into the model with the file:line of every group and rule.
 */
export function loadRuleFile(document: PositionedDocument): LoadedRules {
  const loaded: LoadedRules = { groups: [], origins: new Map(), problems: [] };
  const root = asMap(document.root);
  const groupsNode = field(root, 'groups') ?? field(asMap(field(root, 'spec')), 'groups');
  if (!groupsNode) {
    loaded.problems.push({
      severity: 'error',
      message: 'not a rule file: no top-level "groups" (or "spec.groups") list',
      source: document.locate(document.root),
      id: 'lint/file',
    });
    return loaded;
  }
  for (const groupNode of items(groupsNode)) {
    const group = asMap(groupNode);
    const name = text(group, 'name');
    if (!group || !name) {
      loaded.problems.push({
        severity: 'error',
        message: 'rule group without a name',
        source: document.locate(groupNode),
        id: 'lint/file',
      });
      continue;
    }
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
  const source = document.locate(rule);
  if ((alert === undefined) === (record === undefined) || expr === undefined) {
    loaded.problems.push({
      severity: 'error',
      message: 'a rule needs exactly one of "alert" or "record", and an "expr"',
      source,
      id: 'lint/file',
    });
    return undefined;
  }
  const forDuration = text(rule, 'for');
  const keepFiringFor = text(rule, 'keep_firing_for');
  const model: RuleModel = {
    kind: alert !== undefined ? 'alert' : 'record',
    name: alert ?? record ?? '',
    expr,
    labels: stringRecord(rule, 'labels'),
    annotations: stringRecord(rule, 'annotations'),
    source,
    ...(forDuration !== undefined && { for: forDuration }),
    ...(keepFiringFor !== undefined && { keepFiringFor }),
  };
  loaded.origins.set(model, document.origin(field(rule, 'expr')));
  return model;
}
