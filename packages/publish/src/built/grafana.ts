import {
  compareCodePoints,
  DIST,
  type Diagnostic,
  O11yError,
  O11yErrors,
  type SourceLocation,
} from '@o11y/core';
import { type DistTree, filesUnder, sourceOf } from './tree.ts';

/**
 * How dashboards sit in `dist/`: `grafana/dashboards/<folder path>/<uid>.json`. Each directory is a
 * Grafana folder (nested directories are nested folders); a dashboard directly under
 * `grafana/dashboards/` lives in the root ("General") folder. `grafana/folders.json` =
 * `{ "<directory>": { "uid": "...", "title": "..." } }` fixes folders' uids and titles (it sits outside
 * `grafana/dashboards/`, where Grafana's file provisioning would load it as a dashboard); a directory
 * without an entry is titled by its name and gets a uid derived from its path.
 */
const UID_MAX_LENGTH = 40;

export interface FolderSpec {
  readonly uid: string;
  readonly title: string;
  readonly parentUid: string | undefined;
  /** Directory under `grafana/dashboards/`, e.g. `platform/databases`. */
  readonly path: string;
  readonly source: SourceLocation | undefined;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly folderUid: string | undefined;
  readonly json: Record<string, unknown>;
  /** Path of the artifact under `dist/`. */
  readonly path: string;
  readonly source: SourceLocation | undefined;
}

export interface GrafanaContent {
  /** Parents before children. */
  readonly folders: readonly FolderSpec[];
  readonly dashboards: readonly DashboardSpec[];
}

/** A readable, stable uid for a folder directory without an entry in `grafana/folders.json`. */
export function derivedFolderUid(dirPath: string): string {
  const slug = `o11y-${dirPath
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
  if (slug.length <= UID_MAX_LENGTH) return slug;
  let hash = 0x811c9dc5;
  for (const char of dirPath) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  const suffix = hash.toString(16).padStart(8, '0');
  return `${slug.slice(0, UID_MAX_LENGTH - 9).replace(/-$/, '')}-${suffix}`;
}

/** A JSON object file of the build, or undefined with a problem naming it. */
export function parseJson(
  tree: DistTree,
  file: string,
  problems: Diagnostic[],
): Record<string, unknown> | undefined {
  return parseShaped(tree, file, problems, 'object') as Record<string, unknown> | undefined;
}

/** A generated JSON list (contact points, mute timings), reported like parseJson when it is not one. */
export function parseJsonList(tree: DistTree, file: string, problems: Diagnostic[]): unknown[] | undefined {
  return parseShaped(tree, file, problems, 'list') as unknown[] | undefined;
}

function parseShaped(
  tree: DistTree,
  file: string,
  problems: Diagnostic[],
  shape: 'object' | 'list',
): unknown {
  try {
    const value = JSON.parse(tree.files.get(file)!) as unknown;
    if (shape === 'list' ? Array.isArray(value) : value && typeof value === 'object' && !Array.isArray(value))
      return value;
  } catch {
    // reported below
  }
  problems.push({
    severity: 'error',
    message: `dist/${file} is not a JSON ${shape}`,
    source: sourceOf(tree, file),
    id: 'publish/grafana-json',
    hint: 'rebuild with `npm run o11y -- build`; files under dist/ are generated',
  });
  return undefined;
}

interface FolderMeta {
  readonly uid?: string;
  readonly title?: string;
}

/** The entries of `grafana/folders.json` by directory; a malformed file or entry is a problem, not a crash. */
function folderMetadata(tree: DistTree, problems: Diagnostic[]): ReadonlyMap<string, FolderMeta> {
  const entries = new Map<string, FolderMeta>();
  if (!tree.files.has(DIST.grafana.folders)) return entries;
  const all = parseJson(tree, DIST.grafana.folders, problems);
  for (const [dir, meta] of Object.entries(all ?? {})) {
    const fields =
      meta && typeof meta === 'object' && !Array.isArray(meta)
        ? (meta as Record<string, unknown>)
        : undefined;
    const uid = fields?.uid;
    const title = fields?.title;
    if (
      !fields ||
      (uid !== undefined && typeof uid !== 'string') ||
      (title !== undefined && typeof title !== 'string')
    ) {
      problems.push({
        severity: 'error',
        message: `dist/${DIST.grafana.folders}: the entry of "${dir}" is not { "uid": string, "title": string }`,
        source: sourceOf(tree, DIST.grafana.folders),
        id: 'publish/grafana-json',
        hint: 'rebuild with `npm run o11y -- build`; files under dist/ are generated',
      });
      continue;
    }
    entries.set(dir, { ...(uid && { uid }), ...(title && { title }) });
  }
  return entries;
}

/** Read the folders and dashboards of a build; every problem is reported at once. */
export function grafanaContent(tree: DistTree): GrafanaContent {
  const problems: Diagnostic[] = [];
  const files = filesUnder(tree, DIST.grafana.dashboardsDir, ['.json']);
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file
      .slice(DIST.grafana.dashboardsDir.length + 1)
      .split('/')
      .slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const metadata = folderMetadata(tree, problems);
  const folderByPath = new Map<string, FolderSpec>();
  const sortedDirs = [...dirs].sort(
    (a, b) => a.split('/').length - b.split('/').length || compareCodePoints(a, b),
  );
  for (const dir of sortedDirs) {
    const meta = metadata.get(dir);
    const parent = dir.includes('/') ? folderByPath.get(dir.slice(0, dir.lastIndexOf('/'))) : undefined;
    const uid = meta?.uid ?? derivedFolderUid(dir);
    const title = meta?.title ?? dir.slice(dir.lastIndexOf('/') + 1);
    const source = meta ? sourceOf(tree, DIST.grafana.folders) : undefined;
    if (uid.length > UID_MAX_LENGTH) {
      problems.push({
        severity: 'error',
        message: `folder uid "${uid}" of ${dir} in dist/${DIST.grafana.folders} is longer than Grafana's ${UID_MAX_LENGTH} characters`,
        source,
        id: 'publish/folder-uid',
        hint: 'choose a shorter folder uid',
      });
    }
    folderByPath.set(dir, { uid, title, parentUid: parent?.uid, path: dir, source });
  }
  const dashboards: DashboardSpec[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const json = parseJson(tree, file, problems);
    if (!json) continue;
    const source = sourceOf(tree, file);
    const uid = typeof json.uid === 'string' ? json.uid : '';
    const title = typeof json.title === 'string' ? json.title : '';
    const problem = (message: string, hint: string) =>
      problems.push({
        severity: 'error',
        message: `dist/${file}: ${message}`,
        source,
        id: 'publish/dashboard',
        hint,
      });
    if (uid === '')
      problem('the dashboard has no uid', 'give the dashboard a stable uid so publishing can find it again');
    else if (uid.length > UID_MAX_LENGTH)
      problem(`uid "${uid}" is longer than ${UID_MAX_LENGTH} characters`, 'shorten the uid');
    if (title.trim() === '') problem('the dashboard has no title', 'give the dashboard a title');
    const other = seen.get(uid);
    if (uid !== '' && other !== undefined)
      problem(`uid "${uid}" is also used by dist/${other}`, 'dashboard uids must be unique');
    seen.set(uid, file);
    const dir = file
      .slice(DIST.grafana.dashboardsDir.length + 1)
      .split('/')
      .slice(0, -1)
      .join('/');
    dashboards.push({
      uid,
      title,
      folderUid: dir === '' ? undefined : folderByPath.get(dir)?.uid,
      json,
      path: file,
      source,
    });
  }
  const folderUids = new Map<string, string>();
  for (const folder of folderByPath.values()) {
    const other = folderUids.get(folder.uid);
    if (other !== undefined) {
      problems.push({
        severity: 'error',
        message: `folders ${other} and ${folder.path} both have uid "${folder.uid}"`,
        source: folder.source,
        id: 'publish/folder-uid',
        hint: `give each folder directory its own uid in ${DIST.grafana.folders}`,
      });
    }
    folderUids.set(folder.uid, folder.path);
  }
  if (problems.length === 1) {
    const [only] = problems;
    throw new O11yError(only!.message, { source: only!.source, id: only!.id, hint: only!.hint });
  }
  if (problems.length > 1) throw new O11yErrors(problems);
  return { folders: [...folderByPath.values()], dashboards };
}
