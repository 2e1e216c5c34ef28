import { compareCodePoints, DIST } from '@o11y/core';
import { type DistTree, filesUnder } from '../built/tree.ts';
import { routeChanges } from './alertmanager.ts';
import type { Change, DiffOptions, ItemDiff, SectionDiff } from './model.ts';
import {
  asArray,
  asRecord,
  changedPaths,
  equal,
  type Json,
  mapChanges,
  queryChange,
  show,
} from './values.ts';

const json = (tree: DistTree, file: string): unknown => {
  const text = tree.files.get(file);
  return text === undefined ? undefined : JSON.parse(text);
};

/** Grafana-managed alert rules by uid, with the folder/group they are evaluated in. */
function rulesOf(tree: DistTree): Map<string, { rule: Json; location: string }> {
  const rules = new Map<string, { rule: Json; location: string }>();
  for (const file of filesUnder(tree, `${DIST.grafana.alerting.dir}/rule-groups`, ['.json'])) {
    const group = asRecord(json(tree, file));
    for (const r of asArray(group.rules)) {
      const rule = asRecord(r);
      rules.set(String(rule.uid), { rule, location: `${String(group.folderUid)}/${String(group.title)}` });
    }
  }
  return rules;
}

/** The PromQL of a rule: the model of its Prometheus query (refId A in what o11y builds). */
const exprOf = (rule: Json) =>
  asArray(rule.data)
    .map((q) => asRecord(asRecord(q).model).expr)
    .find((expr) => typeof expr === 'string') as string | undefined;

const RULE_FIELDS = ['for', 'keep_firing_for', 'noDataState', 'execErrState', 'isPaused', 'condition'];

function ruleChanges(a: Json, b: Json, options: DiffOptions): Change[] {
  const changes: Change[] = [];
  if (exprOf(a) !== exprOf(b))
    changes.push(queryChange('expr', 'query', exprOf(a) ?? '', exprOf(b) ?? '', options));
  const rest = (r: Json) =>
    asArray(r.data).map((q) => ({ ...asRecord(q), model: { ...asRecord(asRecord(q).model), expr: null } }));
  if (Object.keys(a).length > 0 && !equal(rest(a), rest(b)))
    changes.push(
      ...changedPaths({ data: rest(a) }, { data: rest(b) }, new Set()).map((path) => ({
        kind: 'query-model',
        subject: path,
      })),
    );
  for (const field of RULE_FIELDS) {
    if (!equal(a[field], b[field]))
      changes.push({ kind: field, subject: field, before: show(a[field]), after: show(b[field]) });
  }
  changes.push(...mapChanges('label', 'label', a.labels, b.labels));
  changes.push(...mapChanges('annotation', 'annotation', a.annotations, b.annotations));
  return changes;
}

/** Items keyed by identity: added, removed, or changed with the changes `describe` gives. */
function keyed(
  before: ReadonlyMap<string, Json>,
  after: ReadonlyMap<string, Json>,
  title: (item: Json) => string,
  describe: (a: Json, b: Json) => Change[],
  location?: (key: string) => string | undefined,
): ItemDiff[] {
  const items: ItemDiff[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort(compareCodePoints)) {
    const a = before.get(key);
    const b = after.get(key);
    const at = location?.(key);
    const base = { id: key, title: title((b ?? a)!), ...(at && { location: at }) };
    if (!a) items.push({ ...base, status: 'added', changes: describe({}, b!) });
    else if (!b) items.push({ ...base, status: 'removed', changes: [] });
    else if (!equal(a, b)) items.push({ ...base, status: 'changed', changes: describe(a, b) });
  }
  return items;
}

/**
 * Settings compared by which fields changed, never by value: they hold secret references, and the
 * same rule as for Alertmanager receivers keeps them out of a pull-request comment.
 */
const settingChanges = (a: Json, b: Json): Change[] =>
  Object.keys(a).length === 0
    ? [{ kind: 'type', subject: 'type', after: show(b.type) }]
    : changedPaths(a, b, new Set(['uid', 'name'])).map((path) => ({ kind: 'setting', subject: path }));

/** A policy as an Alertmanager route (matchers as strings), so the tree compares as the routing tree does. */
function asRoute(policy: Json): Json {
  return {
    ...policy,
    matchers: asArray(policy.object_matchers).map((m) => {
      const [name, operator, value] = asArray(m).map(String);
      return `${name}${operator}"${value}"`;
    }),
    routes: asArray(policy.routes).map((child) => asRoute(asRecord(child))),
  };
}

/** Grafana-managed alerting: alert rules, contact points, the notification policy tree, mute timings. */
export function diffGrafanaAlerting(base: DistTree, head: DistTree, options: DiffOptions): SectionDiff {
  const ra = rulesOf(base);
  const rb = rulesOf(head);
  const rules = (m: typeof ra) => new Map([...m].map(([uid, { rule }]) => [uid, rule]));
  const items = keyed(
    rules(ra),
    rules(rb),
    (r) => `alert rule "${String(r.title)}"`,
    (a, b) => ruleChanges(a, b, options),
    (uid) => (rb.get(uid) ?? ra.get(uid))?.location,
  );
  const byKey = (tree: DistTree, file: string, key: string) =>
    new Map(asArray(json(tree, file)).map((x) => [String(asRecord(x)[key]), asRecord(x)]));
  const points = DIST.grafana.alerting.contactPoints;
  items.push(
    ...keyed(
      byKey(base, points, 'uid'),
      byKey(head, points, 'uid'),
      (p) => `contact point ${String(p.name)} (${String(p.type)})`,
      settingChanges,
    ),
  );
  const pa = asRecord(json(base, DIST.grafana.alerting.policies));
  const pb = asRecord(json(head, DIST.grafana.alerting.policies));
  if (Object.keys(pa).length > 0 || Object.keys(pb).length > 0)
    items.push(
      ...routeChanges(asRoute(pa), asRoute(pb), 'root').map((item) => ({
        ...item,
        title: `policy ${item.title.replace(/^route /, '')}`,
      })),
    );
  const timings = DIST.grafana.alerting.muteTimings;
  items.push(
    ...keyed(
      byKey(base, timings, 'name'),
      byKey(head, timings, 'name'),
      (m) => `mute timing ${String(m.name)}`,
      (a, b) => [
        {
          kind: 'time_intervals',
          subject: 'time intervals',
          before: show(a.time_intervals),
          after: show(b.time_intervals),
        },
      ],
    ),
  );
  return { name: 'Grafana alerting', items };
}
