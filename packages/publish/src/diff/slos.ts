import { compareCodePoints } from '@o11y/core';
import type { DistTree } from '../built/tree.ts';
import type { ItemDiff, SectionDiff } from './model.ts';
import { asRecord, changedPaths, type Json, pick, show } from './values.ts';

/**
 * SLOs as the build records them: manifest artifacts of kind `slo`, each a JSON object with at least
 * `name` (plus objective, window, service, …). Every field is compared; objective and window first.
 */
export const SLO_KIND = 'slo';

function slosOf(tree: DistTree): Map<string, { path: string; slo: Json }> {
  const out = new Map<string, { path: string; slo: Json }>();
  for (const entry of tree.manifest?.artifacts ?? []) {
    if (entry.kind !== SLO_KIND) continue;
    const text = tree.files.get(entry.path);
    if (text === undefined) continue;
    const slo = asRecord(JSON.parse(text));
    out.set(String(slo.name ?? entry.path), { path: entry.path, slo });
  }
  return out;
}

const FIRST = ['objective', 'window', 'windows'];

/** Lists of strings (the burn-rate windows) as one line; anything else as `show` has it. */
const shown = (value: unknown) =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(', ') : show(value);

export function diffSlos(base: DistTree, head: DistTree): SectionDiff {
  const a = slosOf(base);
  const b = slosOf(head);
  const items: ItemDiff[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort(compareCodePoints)) {
    const sa = a.get(name);
    const sb = b.get(name);
    if (!sa) {
      // A new SLO shows what it promises: objective, window and its burn-rate windows.
      const changes = FIRST.filter((k) => sb!.slo[k] !== undefined).map((k) => ({
        kind: k,
        subject: k,
        after: shown(sb!.slo[k]),
      }));
      items.push({ id: name, title: name, status: 'added', location: sb!.path, changes });
    } else if (!sb) items.push({ id: name, title: name, status: 'removed', location: sa.path, changes: [] });
    else {
      const paths = changedPaths(sa.slo, sb.slo, new Set()).sort(
        (x, y) => Number(!FIRST.includes(x)) - Number(!FIRST.includes(y)) || compareCodePoints(x, y),
      );
      if (paths.length === 0) continue;
      const changes = paths.map((p) => ({
        kind: p,
        subject: p,
        before: shown(pick(sa.slo, p)),
        after: shown(pick(sb.slo, p)),
      }));
      items.push({ id: name, title: name, status: 'changed', location: sb.path, changes });
    }
  }
  return { name: 'SLOs', items };
}
