import { compareCodePoints, DIST } from '@o11y/core';
import { parse } from 'yaml';
import type { DistTree } from '../built/tree.ts';
import type { Change, ItemDiff, SectionDiff } from './model.ts';
import { asArray, asRecord, changedPaths, equal, type Json, show } from './values.ts';

const CONFIG = DIST.alertmanager.config;

/** Routes by their path of matchers from the root, e.g. `root > severity="page" > team="db"`. */
function routesOf(config: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  const walk = (route: Json, path: string) => {
    const id = out.has(path) ? `${path}#${out.size}` : path;
    out.set(id, route);
    for (const child of asArray(route.routes)) {
      const c = asRecord(child);
      const matchers = [
        ...asArray(c.matchers).map(String),
        ...Object.entries(asRecord(c.match)).map(([k, v]) => `${k}="${String(v)}"`),
      ];
      walk(c, `${path} > ${matchers.length > 0 ? matchers.join(', ') : '(all)'}`);
    }
  };
  if (Object.keys(asRecord(config.route)).length > 0) walk(asRecord(config.route), 'root');
  return out;
}

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
  const routesA = routesOf(a);
  const routesB = routesOf(b);
  for (const path of [...new Set([...routesA.keys(), ...routesB.keys()])].sort(compareCodePoints)) {
    const x = routesA.get(path);
    const y = routesB.get(path);
    const title = `route ${path}`;
    if (!x)
      items.push({
        id: title,
        title,
        status: 'added',
        changes: [{ kind: 'receiver', subject: 'receiver', after: show(y!.receiver) }],
      });
    else if (!y)
      items.push({
        id: title,
        title,
        status: 'removed',
        changes: [{ kind: 'receiver', subject: 'receiver', before: show(x.receiver) }],
      });
    else {
      const changes = ROUTE_FIELDS.filter((f) => !equal(x[f], y[f])).map((f) => ({
        kind: f,
        subject: f,
        before: show(x[f]),
        after: show(y[f]),
      }));
      if (changes.length > 0) items.push({ id: title, title, status: 'changed', changes });
    }
  }
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
