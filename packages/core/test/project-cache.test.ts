import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectCacheDir } from '../src/project-cache.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-project-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('projectCacheDir', () => {
  it('gives each root a folder of each kind in the nearest node_modules, and removes those of roots that are gone', () => {
    const shared = path.join(scratch, 'node_modules');
    mkdirSync(shared);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => {
      const root = path.join(scratch, 'checkouts', name);
      mkdirSync(root, { recursive: true });
      return root;
    }) as [string, string, string];
    const typecheck = path.join(shared, '.cache', 'o11y', 'typecheck');

    const ofA = projectCacheDir(a, 'typecheck');
    const ofB = projectCacheDir(b, 'typecheck');
    expect(path.dirname(ofA)).toBe(typecheck);
    expect(ofB).not.toBe(ofA);
    expect(projectCacheDir(a, 'typecheck')).toBe(ofA);
    expect(readFileSync(path.join(ofA, 'root'), 'utf8')).toBe(a);
    const modulesOfA = projectCacheDir(a, 'modules');
    expect(path.dirname(modulesOfA)).toBe(path.join(shared, '.cache', 'o11y', 'modules'));

    // A checkout removed: its folder goes when another root first makes its own, of that kind.
    rmSync(a, { recursive: true });
    const ofC = projectCacheDir(c, 'typecheck');
    expect(readdirSync(typecheck).sort()).toEqual([path.basename(ofB), path.basename(ofC)].sort());
    expect(existsSync(modulesOfA)).toBe(true);
  });
});
