import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  compareCodePoints,
  type DashboardModel,
  type Diagnostic,
  type ProjectModel,
  type RuleGroupModel,
} from '@o11y/core';
import { loadDashboardFile } from './dashboard-file.ts';
import { asMap, type ExpressionOrigin, field, PositionedDocument } from './document.ts';
import { loadRuleFile } from './rule-file.ts';

export interface LoadedFiles {
  readonly model: ProjectModel;
  /** Where each expression's characters are in its file, so carets point at the exact file:line:column. */
  readonly origins: ReadonlyMap<object, ExpressionOrigin>;
  /** Files that could not be read or are not rule files or dashboards. */
  readonly problems: readonly Diagnostic[];
}

const EXTENSIONS = ['.yml', '.yaml', '.json'];

async function expand(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const found: string[] = [];
  for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) =>
    compareCodePoints(a.name, b.name),
  )) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) found.push(...(await expand(full)));
    else if (EXTENSIONS.includes(path.extname(entry.name))) found.push(full);
  }
  return found;
}

/** Parses one file's text; whether it is a dashboard or a rule file is decided by its content. */
export function loadText(file: string, content: string) {
  const document = new PositionedDocument(file, content);
  if (document.errors.length > 0) {
    const problems: Diagnostic[] = document.errors.map((error) => ({
      severity: 'error',
      message: `cannot parse: ${error.message}`,
      source: error.source,
      id: 'lint/file',
    }));
    return { groups: [], dashboards: [], origins: new Map(), problems };
  }
  const root = asMap(document.root);
  if (field(root, 'panels') || field(asMap(field(root, 'dashboard')), 'panels')) {
    const loaded = loadDashboardFile(document);
    return { groups: [], dashboards: loaded.dashboard ? [loaded.dashboard] : [], ...loaded };
  }
  return { dashboards: [], ...loadRuleFile(document) };
}

/**
 * Loads plain Prometheus rule files and Grafana dashboard JSON (files or folders of them) into the
 * model the checks run on. Locations are relative to `root`.
 */
export async function loadFiles(targets: readonly string[], root: string): Promise<LoadedFiles> {
  const groups: RuleGroupModel[] = [];
  const dashboards: DashboardModel[] = [];
  const origins = new Map<object, ExpressionOrigin>();
  const problems: Diagnostic[] = [];
  for (const target of targets) {
    const absolute = path.resolve(root, target);
    let files: string[];
    try {
      files = await expand(absolute);
    } catch (error) {
      problems.push({
        severity: 'error',
        message: `cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        id: 'lint/file',
        hint: 'pass rule files (.yml) or dashboards (.json), or folders of them',
      });
      continue;
    }
    for (const file of files) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      const loaded = loadText(relative, await readFile(file, 'utf8'));
      groups.push(...loaded.groups);
      dashboards.push(...loaded.dashboards);
      for (const [node, origin] of loaded.origins) origins.set(node, origin);
      problems.push(...loaded.problems);
    }
  }
  return { model: { ruleGroups: groups, dashboards, scrapeJobs: [] }, origins, problems };
}
