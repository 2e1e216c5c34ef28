import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256, stableStringify, writeTree } from '@o11y/core';
import { type DistTree, treeFromFiles } from '../../src/built/tree.ts';

export interface FixtureDashboard {
  readonly uid: string;
  readonly title: string;
  /** Directory under grafana/dashboards/, '' for the root folder. */
  readonly dir: string;
  readonly query?: string;
  readonly unit?: string;
}

export function dashboardJson(d: FixtureDashboard): Record<string, unknown> {
  return {
    uid: d.uid,
    title: d.title,
    tags: ['sample'],
    schemaVersion: 41,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'job', type: 'query', query: 'label_values(up, job)' }] },
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: 'Request rate',
        gridPos: { h: 8, w: 12, x: 0, y: 0 },
        fieldConfig: { defaults: { unit: d.unit ?? 'reqps' }, overrides: [] },
        targets: [{ refId: 'A', expr: d.query ?? `sum(rate(http_requests_total{service="${d.uid}"}[5m]))` }],
      },
    ],
  };
}

/** A dist/ tree with the given dashboards, `grafana/folders.json` holding `folderTitles` (if any), and a manifest. */
export function fixtureTree(
  dashboards: readonly FixtureDashboard[],
  folderTitles: Readonly<Record<string, { uid: string; title: string }>> = {},
  extra: Readonly<Record<string, string>> = {},
): DistTree {
  const files: Record<string, string> = { ...extra };
  for (const d of dashboards) {
    const path = `grafana/dashboards/${d.dir ? `${d.dir}/` : ''}${d.uid}.json`;
    files[path] = stableStringify(dashboardJson(d));
  }
  if (Object.keys(folderTitles).length > 0) files['grafana/folders.json'] = stableStringify(folderTitles);
  const artifacts = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, content], index) => ({
      path,
      kind: path.startsWith('grafana/') ? 'grafana-dashboard' : 'other',
      sha256: sha256(content),
      source: { file: `dashboards/fixture.ts`, line: index + 1, column: 1 },
    }));
  files['manifest.json'] = stableStringify({ artifacts });
  return treeFromFiles(files);
}

/** A project folder (a root package.json) whose dist/ holds two dashboards, one in a folder: what the CLI tests publish. */
export async function writeFixtureProject(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ private: true, workspaces: [] }));
  const tree = fixtureTree([
    { uid: 'api', title: 'API', dir: 'services' },
    { uid: 'db', title: 'DB', dir: '' },
  ]);
  await writeTree(
    path.join(dir, 'dist'),
    [...tree.files].map(([p, content]) => ({ path: p, content })),
  );
}

/** `count` dashboards spread over a nested folder tree three levels deep. */
export function largeFixture(count: number): { tree: DistTree; dashboards: FixtureDashboard[] } {
  const dirs = [
    '',
    'platform',
    'platform/databases',
    'platform/databases/postgres',
    'services',
    'services/payments',
    'services/orders',
  ];
  const dashboards = Array.from({ length: count }, (_, i) => ({
    uid: `svc-${String(i).padStart(3, '0')}`,
    title: `Service ${i}`,
    dir: dirs[i % dirs.length]!,
  }));
  const folders = {
    platform: { uid: 'platform', title: 'Platform' },
    'platform/databases': { uid: 'platform-db', title: 'Databases' },
    services: { uid: 'services', title: 'Services' },
  };
  return { tree: fixtureTree(dashboards, folders), dashboards };
}
