import { DIST, stableStringify } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { derivedFolderUid, grafanaContent } from '../src/built/grafana.ts';
import { treeFromFiles } from '../src/built/tree.ts';
import { dashboardJson, fixtureTree } from './support/fixtures.ts';

describe('folder metadata in grafana/folders.json', () => {
  it('takes uids and titles from it, deriving them for directories it does not list', () => {
    const tree = fixtureTree(
      [
        { uid: 'pg', title: 'PostgreSQL', dir: 'platform/databases' },
        { uid: 'shop', title: 'Shop', dir: 'commerce' },
      ],
      { 'platform/databases': { uid: 'platform-db', title: 'Databases' } },
    );
    const { folders, dashboards } = grafanaContent(tree);
    expect(folders.map((f) => [f.path, f.uid, f.title, f.parentUid])).toEqual([
      ['commerce', derivedFolderUid('commerce'), 'commerce', undefined],
      ['platform', derivedFolderUid('platform'), 'platform', undefined],
      ['platform/databases', 'platform-db', 'Databases', derivedFolderUid('platform')],
    ]);
    expect(dashboards.find((d) => d.uid === 'pg')?.folderUid).toBe('platform-db');
  });

  it('reports a malformed entry at the file instead of crashing or publishing a wrong folder', () => {
    const tree = treeFromFiles({
      'grafana/dashboards/commerce/shop.json': stableStringify(
        dashboardJson({ uid: 'shop', title: 'Shop', dir: 'commerce' }),
      ),
      [DIST.grafana.folders]: stableStringify({ commerce: { uid: 7, title: 'Commerce' } }),
    });
    expect(() => grafanaContent(tree)).toThrow(
      `dist/${DIST.grafana.folders}: the entry of "commerce" is not { "uid": string, "title": string }`,
    );
  });
});
