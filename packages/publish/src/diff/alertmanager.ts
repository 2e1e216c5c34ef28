import { compareCodePoints, DIST } from '@o11y/core';
import { parse } from 'yaml';
import type { DistTree } from '../built/tree.ts';
import { matchItems } from './match.ts';
import type { Change, ItemDiff, SectionDiff } from './model.ts';
import { asArray, asRecord, changedPaths, equal, type Json, show } from './values.ts';

const CONFIG = DIST.alertmanager.config;

/** A route's own matchers, as Alertmanager's `matchers` strings (the legacy `match` map converted). */
function matchersOf(route: Json): string {
  const matchers = [
    ...asArray(route.matchers).map(String),
    ...Object.entries(asRecord(route.match)).map(([k, v]) => `${k}="${String(v)}"`),
    ...Object.entries(asRecord(route.match_re)).map(([k, v]) => `${k}=~"${String(v)}"`),
  ];
  return matchers.length > 0 ? matchers.join(', ') : '(all)';
}

const childrenOf = (route: Json) => asArray(route.routes).map(asRecord);
const settingsOf = (route: Json) => show(Object.fromEntries(ROUTE_FIELDS.map((f) => [f, route[f] ?? null])));

const ROUTE_FIELDS = [
  'receiver',
  'group_by',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'continue',
  'mute_time_intervals',
  'active_time_intervals',
];

/**
 * Receivers compare by which integrations they have and which fields changed, never by value: a
 * receiver may hold webhook URLs or keys, which must not reach a pull-request comment.
 */
function receiverChanges(a: Json, b: Json): Change[] {
  return changedPaths(a, b, new Set(['name'])).map((path) => ({ kind: 'receiver-changed', subject: path }));
}

/** Every route of a subtree, named by its path of matchers, with the receiver it sends to. */
function subtree(route: Json, path: string, status: 'added' | 'removed'): ItemDiff[] {
  const receiver = show(route.receiver);
  const title = `route ${path}`;
  return [
    {
      id: title,
      title,
      status,
      changes: [
        {
          kind: 'receiver',
          subject: 'receiver',
          ...(status === 'added' ? { after: receiver } : { before: receiver }),
        },
      ],
    },
    ...childrenOf(route).flatMap((child) => subtree(child, `${path} > ${matchersOf(child)}`, status)),
  ];
}

/**
 * Routes compared as a tree: the children of two paired routes are paired by their own matchers and
 * settings, then their matchers, then their receiver and settings (changed matchers), so a changed
 * matcher is one change of that route and not its whole subtree removed and added again.
 */
export function routeChanges(a: Json, b: Json, path: string): ItemDiff[] {
  const items: ItemDiff[] = [];
  const title = `route ${path}`;
  const changes: Change[] = ROUTE_FIELDS.filter((f) => !equal(a[f], b[f])).map((f) => ({
    kind: f,
    subject: f,
    before: show(a[f]),
    after: show(b[f]),
  }));
  if (matchersOf(a) !== matchersOf(b))
    changes.unshift({ kind: 'matchers', subject: 'matchers', before: matchersOf(a), after: matchersOf(b) });
  if (changes.length > 0) items.push({ id: title, title, status: 'changed', changes });
  const { pairs, added, removed } = matchItems(childrenOf(a), childrenOf(b), [
    (r) => `${matchersOf(r)} ${settingsOf(r)}`,
    matchersOf,
    settingsOf,
  ]);
  for (const [ra, rb] of pairs) items.push(...routeChanges(ra, rb, `${path} > ${matchersOf(rb)}`));
  for (const r of added) items.push(...subtree(r, `${path} > ${matchersOf(r)}`, 'added'));
  for (const r of removed) items.push(...subtree(r, `${path} > ${matchersOf(r)}`, 'removed'));
  return items;
}

export function diffAlertmanager(base: DistTree, head: DistTree): SectionDiff {
  const read = (tree: DistTree) => {
    const text = tree.files.get(CONFIG);
    return text === undefined ? undefined : asRecord(parse(text));
  };
  const a = read(base) ?? {};
  const b = read(head) ?? {};
  const items: ItemDiff[] = [];
  const receivers = (c: Json) =>
    new Map(asArray(c.receivers).map((r) => [String(asRecord(r).name), asRecord(r)]));
  const ra = receivers(a);
  const rb = receivers(b);
  for (const name of [...new Set([...ra.keys(), ...rb.keys()])].sort(compareCodePoints)) {
    const x = ra.get(name);
    const y = rb.get(name);
    const integrations = (r: Json) =>
      Object.keys(r)
        .filter((k) => k.endsWith('_configs'))
        .sort(compareCodePoints)
        .join(', ');
    if (!x)
      items.push({
        id: `receiver ${name}`,
        title: `receiver ${name}`,
        status: 'added',
        changes: [{ kind: 'integrations', subject: 'integrations', after: integrations(y!) }],
      });
    else if (!y)
      items.push({ id: `receiver ${name}`, title: `receiver ${name}`, status: 'removed', changes: [] });
    else if (!equal(x, y))
      items.push({
        id: `receiver ${name}`,
        title: `receiver ${name}`,
        status: 'changed',
        changes: receiverChanges(x, y),
      });
  }
  if (Object.keys(asRecord(a.route)).length > 0 || Object.keys(asRecord(b.route)).length > 0)
    items.push(...routeChanges(asRecord(a.route), asRecord(b.route), 'root'));
  for (const field of ['inhibit_rules', 'time_intervals', 'templates']) {
    if (!equal(a[field], b[field])) {
      items.push({
        id: field,
        title: field.replace('_', ' '),
        status: 'changed',
        changes: [
          {
            kind: field,
            subject: field,
            before: `${asArray(a[field]).length} entries`,
            after: `${asArray(b[field]).length} entries`,
          },
        ],
      });
    }
  }
  return { name: 'Alertmanager', items };
}
