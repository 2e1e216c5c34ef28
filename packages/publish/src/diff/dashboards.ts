import { compareCodePoints } from '@o11y/core';
import { type DashboardSpec, type FolderSpec, grafanaContent } from '../built/grafana.ts';
import type { DistTree } from '../built/tree.ts';
import { commonOrder } from './lines.ts';
import type { Change, DiffOptions, ItemDiff, SectionDiff } from './model.ts';
import { asArray, asRecord, changedPaths, equal, type Json, queryChange, show } from './values.ts';

interface Panel {
  /** Title, made unique with `#2`… for repeated titles. */
  readonly key: string;
  readonly row: string | undefined;
  readonly json: Json;
}

/** Panels in reading order (top to bottom, left to right), rows' collapsed panels included. */
function panelsOf(dashboard: Json): Panel[] {
  const flat: Array<{ json: Json; row: string | undefined }> = [];
  let row: string | undefined;
  for (const raw of asArray(dashboard.panels)) {
    const panel = asRecord(raw);
    if (panel.type === 'row') {
      row = String(panel.title ?? '');
      for (const child of asArray(panel.panels)) flat.push({ json: asRecord(child), row });
      continue;
    }
    flat.push({ json: panel, row });
  }
  const position = (p: Json) => {
    const grid = asRecord(p.gridPos);
    return [Number(grid.y ?? 0), Number(grid.x ?? 0)] as const;
  };
  flat.sort((a, b) => {
    const [ay, ax] = position(a.json);
    const [by, bx] = position(b.json);
    return ay - by || ax - bx;
  });
  const seen = new Map<string, number>();
  return flat.map(({ json, row: inRow }) => {
    const title = String(json.title ?? '') || `(untitled ${String(json.type ?? 'panel')})`;
    const count = (seen.get(title) ?? 0) + 1;
    seen.set(title, count);
    return { key: count === 1 ? title : `${title}#${count}`, row: inRow, json };
  });
}

function thresholds(panel: Json): string | undefined {
  const steps = asArray(asRecord(asRecord(asRecord(panel.fieldConfig).defaults).thresholds).steps);
  if (steps.length === 0) return undefined;
  return steps
    .map((s) => {
      const step = asRecord(s);
      return step.value === null || step.value === undefined
        ? String(step.color)
        : `${String(step.value)} ${String(step.color)}`;
    })
    .join(', ');
}

const unitOf = (panel: Json) => asRecord(asRecord(panel.fieldConfig).defaults).unit as string | undefined;

/** What the panel-level comparison already covers; the rest is listed by path. */
const PANEL_HANDLED = new Set([
  'id',
  'gridPos',
  'targets',
  'title',
  'fieldConfig.defaults.unit',
  'fieldConfig.defaults.thresholds',
]);

function panelChanges(before: Panel, after: Panel, moved: boolean, options: DiffOptions): Change[] {
  const subject = `panel "${after.key}"`;
  const changes: Change[] = [];
  if (moved || before.row !== after.row) {
    changes.push({
      kind: 'panel-moved',
      subject,
      ...(before.row !== after.row && { before: before.row ?? '(top)', after: after.row ?? '(top)' }),
    });
  }
  const sizeOf = (p: Panel) => {
    const grid = asRecord(p.json.gridPos);
    return `${String(grid.w)}x${String(grid.h)}`;
  };
  if (sizeOf(before) !== sizeOf(after))
    changes.push({ kind: 'panel-resized', subject, before: sizeOf(before), after: sizeOf(after) });
  if (before.json.type !== after.json.type) {
    changes.push({
      kind: 'panel-type',
      subject,
      before: show(before.json.type),
      after: show(after.json.type),
    });
  }
  const targets = (p: Panel) =>
    new Map(asArray(p.json.targets).map((t, i) => [String(asRecord(t).refId ?? i), asRecord(t)]));
  const a = targets(before);
  const b = targets(after);
  for (const refId of [...new Set([...a.keys(), ...b.keys()])].sort(compareCodePoints)) {
    const ta = a.get(refId);
    const tb = b.get(refId);
    const querySubject = `${subject} query ${refId}`;
    if (!ta) changes.push({ kind: 'query-added', subject: querySubject, after: show(tb!.expr ?? tb) });
    else if (!tb) changes.push({ kind: 'query-removed', subject: querySubject, before: show(ta.expr ?? ta) });
    else {
      if (typeof ta.expr === 'string' && typeof tb.expr === 'string' && ta.expr !== tb.expr) {
        changes.push(queryChange('query', querySubject, ta.expr, tb.expr, options));
      }
      for (const path of changedPaths(ta, tb, new Set(['expr']))) {
        changes.push({
          kind: 'query-setting',
          subject: `${querySubject} ${path}`,
          before: show(pick(ta, path)),
          after: show(pick(tb, path)),
        });
      }
    }
  }
  if (unitOf(before.json) !== unitOf(after.json)) {
    changes.push({
      kind: 'unit',
      subject,
      before: show(unitOf(before.json)),
      after: show(unitOf(after.json)),
    });
  }
  if (thresholds(before.json) !== thresholds(after.json)) {
    changes.push({
      kind: 'thresholds',
      subject,
      before: show(thresholds(before.json)),
      after: show(thresholds(after.json)),
    });
  }
  for (const path of changedPaths(before.json, after.json, PANEL_HANDLED)) {
    if (path.startsWith('fieldConfig.defaults.unit') || path.startsWith('fieldConfig.defaults.thresholds'))
      continue;
    changes.push({
      kind: 'panel-setting',
      subject: `${subject} ${path}`,
      before: show(pick(before.json, path)),
      after: show(pick(after.json, path)),
    });
  }
  return changes;
}

function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) current = asRecord(current)[part];
  return current;
}

function variableChanges(before: Json, after: Json): Change[] {
  const vars = (d: Json) =>
    new Map(asArray(asRecord(d.templating).list).map((v) => [String(asRecord(v).name), asRecord(v)]));
  const a = vars(before);
  const b = vars(after);
  const changes: Change[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort(compareCodePoints)) {
    const subject = `variable $${name}`;
    const va = a.get(name);
    const vb = b.get(name);
    if (!va) changes.push({ kind: 'variable-added', subject, after: show(vb!.query ?? vb!.type) });
    else if (!vb) changes.push({ kind: 'variable-removed', subject, before: show(va.query ?? va.type) });
    else {
      for (const path of changedPaths(va, vb, new Set(['current', 'options']))) {
        changes.push({
          kind: 'variable-changed',
          subject: `${subject} ${path}`,
          before: show(pick(va, path)),
          after: show(pick(vb, path)),
        });
      }
    }
  }
  return changes;
}

const DASHBOARD_HANDLED = new Set(['id', 'version', 'uid', 'title', 'panels', 'templating']);

function dashboardChanges(
  before: DashboardSpec,
  after: DashboardSpec,
  folders: [string, string],
  options: DiffOptions,
): Change[] {
  const changes: Change[] = [];
  if (before.title !== after.title)
    changes.push({ kind: 'renamed', subject: 'title', before: before.title, after: after.title });
  if (folders[0] !== folders[1])
    changes.push({ kind: 'moved', subject: 'folder', before: folders[0], after: folders[1] });
  const pa = panelsOf(before.json);
  const pb = panelsOf(after.json);
  const byKey = new Map(pa.map((p) => [p.key, p]));
  const afterKeys = new Set(pb.map((p) => p.key));
  const inOrder = commonOrder(
    pa.map((p) => p.key).filter((k) => afterKeys.has(k)),
    pb.map((p) => p.key).filter((k) => byKey.has(k)),
  );
  for (const panel of pb) {
    const previous = byKey.get(panel.key);
    if (!previous) {
      changes.push({
        kind: 'panel-added',
        subject: `panel "${panel.key}"`,
        after: String(panel.json.type ?? 'panel'),
      });
      continue;
    }
    changes.push(...panelChanges(previous, panel, !inOrder.has(panel.key), options));
  }
  for (const panel of pa) {
    if (!afterKeys.has(panel.key))
      changes.push({
        kind: 'panel-removed',
        subject: `panel "${panel.key}"`,
        before: String(panel.json.type ?? 'panel'),
      });
  }
  changes.push(...variableChanges(before.json, after.json));
  for (const path of changedPaths(before.json, after.json, DASHBOARD_HANDLED)) {
    changes.push({
      kind: 'setting',
      subject: path,
      before: show(pick(before.json, path)),
      after: show(pick(after.json, path)),
    });
  }
  return changes;
}

function folderPath(folders: ReadonlyMap<string, FolderSpec>, uid: string | undefined): string {
  return uid === undefined ? 'General' : (folders.get(uid)?.path ?? uid);
}

export function diffDashboards(base: DistTree, head: DistTree, options: DiffOptions): SectionDiff {
  const a = grafanaContent(base);
  const b = grafanaContent(head);
  const foldersA = new Map(a.folders.map((f) => [f.uid, f]));
  const foldersB = new Map(b.folders.map((f) => [f.uid, f]));
  const before = new Map(a.dashboards.map((d) => [d.uid, d]));
  const after = new Map(b.dashboards.map((d) => [d.uid, d]));
  const items: ItemDiff[] = [];
  for (const uid of [...new Set([...before.keys(), ...after.keys()])].sort(compareCodePoints)) {
    const da = before.get(uid);
    const db = after.get(uid);
    if (!da) {
      items.push({
        id: uid,
        title: db!.title,
        status: 'added',
        location: folderPath(foldersB, db!.folderUid),
        changes: [],
      });
    } else if (!db) {
      items.push({
        id: uid,
        title: da.title,
        status: 'removed',
        location: folderPath(foldersA, da.folderUid),
        changes: [],
      });
    } else {
      const folders: [string, string] = [
        folderPath(foldersA, da.folderUid),
        folderPath(foldersB, db.folderUid),
      ];
      if (equal(da.json, db.json) && folders[0] === folders[1]) continue;
      const changes = dashboardChanges(da, db, folders, options);
      if (changes.length > 0)
        items.push({ id: uid, title: db.title, status: 'changed', location: folders[1], changes });
    }
  }
  return { name: 'Dashboards', items };
}
