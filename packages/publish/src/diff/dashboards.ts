import { compareCodePoints } from '@o11y/core';
import { type DashboardSpec, type FolderSpec, grafanaContent } from '../built/grafana.ts';
import type { DistTree } from '../built/tree.ts';
import { commonOrder } from './lines.ts';
import { matchItems } from './match.ts';
import type { Change, DiffOptions, ItemDiff, SectionDiff } from './model.ts';
import {
  asArray,
  asRecord,
  changedPaths,
  equal,
  type Json,
  pick,
  queryChange,
  show,
  without,
} from './values.ts';

interface Panel {
  readonly title: string;
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
    return { title, key: count === 1 ? title : `${title}#${count}`, row: inRow, json };
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

/**
 * Queries of a panel paired by content first and refId second: refIds are letters by position, so a
 * query inserted in the middle renames every later one without changing it.
 */
function queryChanges(before: Panel, after: Panel, subject: string, options: DiffOptions): Change[] {
  const targets = (p: Panel) => asArray(p.json.targets).map(asRecord);
  const refId = (t: Json) => String(t.refId ?? '');
  const { pairs, added, removed } = matchItems(targets(before), targets(after), [
    (t) => show(without(t, ['refId'])),
    refId,
  ]);
  const changes: Change[] = [];
  for (const [ta, tb] of pairs) {
    const querySubject = `${subject} query ${refId(tb)}`;
    if (typeof ta.expr === 'string' && typeof tb.expr === 'string' && ta.expr !== tb.expr)
      changes.push(queryChange('query', querySubject, ta.expr, tb.expr, options));
    for (const path of changedPaths(ta, tb, new Set(['expr', 'refId']))) {
      changes.push({
        kind: 'query-setting',
        subject: `${querySubject} ${path}`,
        before: show(pick(ta, path)),
        after: show(pick(tb, path)),
      });
    }
  }
  for (const t of added)
    changes.push({ kind: 'query-added', subject: `${subject} query ${refId(t)}`, after: show(t.expr ?? t) });
  for (const t of removed)
    changes.push({
      kind: 'query-removed',
      subject: `${subject} query ${refId(t)}`,
      before: show(t.expr ?? t),
    });
  return changes;
}

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
  changes.push(...queryChanges(before, after, subject, options));
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

const panelAdded = (panel: Panel): Change => ({
  kind: 'panel-added',
  subject: `panel "${panel.key}"`,
  after: `${String(panel.json.type ?? 'panel')}${panel.row === undefined ? '' : ` in row "${panel.row}"`}`,
});

/**
 * Panels paired by title and content, then by title, then by content (a renamed panel), so that
 * panels inserted into a dashboard show as added and nothing else; a panel is moved when it left the
 * longest common order of the paired panels.
 */
function panelListChanges(before: readonly Panel[], after: readonly Panel[], options: DiffOptions): Change[] {
  const content = (p: Panel) => show(without(p.json, ['id', 'gridPos', 'title']));
  const { pairs, removed } = matchItems(before, after, [
    (p) => `${p.title}\n${content(p)}`,
    (p) => p.key,
    content,
  ]);
  const partner = new Map(pairs.map(([a, b]) => [b, a]));
  const positionBefore = new Map(before.map((p, i) => [p, i]));
  const afterOrder = pairs.map((_, i) => String(i));
  const beforeOrder = [...afterOrder].sort(
    (x, y) => positionBefore.get(pairs[Number(x)]![0])! - positionBefore.get(pairs[Number(y)]![0])!,
  );
  const inOrder = commonOrder(beforeOrder, afterOrder);
  const pairIndex = new Map(pairs.map(([, b], i) => [b, String(i)]));
  const changes: Change[] = [];
  for (const panel of after) {
    const previous = partner.get(panel);
    if (!previous) {
      changes.push(panelAdded(panel));
      continue;
    }
    if (previous.title !== panel.title)
      changes.push({
        kind: 'panel-renamed',
        subject: `panel "${panel.key}"`,
        before: previous.key,
        after: panel.key,
      });
    changes.push(...panelChanges(previous, panel, !inOrder.has(pairIndex.get(panel)!), options));
  }
  for (const panel of removed)
    changes.push({
      kind: 'panel-removed',
      subject: `panel "${panel.key}"`,
      before: String(panel.json.type ?? 'panel'),
    });
  return changes;
}

/** What a reviewer sees of a new dashboard: its panels in reading order and its variables. */
function addedDashboardChanges(dashboard: DashboardSpec): Change[] {
  return [...panelsOf(dashboard.json).map(panelAdded), ...variableChanges({}, dashboard.json)];
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
  changes.push(...panelListChanges(panelsOf(before.json), panelsOf(after.json), options));
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
        changes: addedDashboardChanges(db!),
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
