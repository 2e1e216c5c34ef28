import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot, treeHashes } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-build-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('o11y build', () => {
  it('is byte-identical across time zones, locales and working directories', () => {
    const first = path.join(scratch, 'first');
    const second = path.join(scratch, 'second');
    const a = o11y(['build', '--out', first], { env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' } });
    expect(a.status, a.stderr).toBe(0);
    // From a subdirectory, in another zone and locale: the project root is found from cwd.
    const b = o11y(['build', '--out', second], {
      cwd: path.join(repoRoot, 'packages', 'core'),
      env: { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    });
    expect(b.status, b.stderr).toBe(0);
    const hashesA = treeHashes(first);
    expect(Object.keys(hashesA)).toContain('manifest.json');
    expect(treeHashes(second)).toEqual(hashesA);
  }, 180_000);

  describe('with a definition module that throws', () => {
    const project = path.join(scratch, 'broken-project');
    mkdirSync(path.join(project, 'dashboards'), { recursive: true });
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'broken', private: true, type: 'module', workspaces: [] }),
    );

    it('exits 1 naming the file and line, and leaves the previous dist/ byte-for-byte unchanged', () => {
      writeFileSync(path.join(project, 'dashboards', 'payments.ts'), 'export const ok = 1;\n');
      expect(o11y(['build'], { cwd: project }).status).toBe(0);
      const before = treeHashes(path.join(project, 'dist'));

      writeFileSync(
        path.join(project, 'dashboards', 'payments.ts'),
        [
          'export const ok = 1;',
          'function panel(): never {',
          "  throw new Error('payments panel has no query');",
          '}',
          'panel();',
          '',
        ].join('\n'),
      );
      const broken = o11y(['build'], { cwd: project });
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain('dashboards/payments.ts:3:');
      expect(broken.stderr).toContain('payments panel has no query');
      expect(treeHashes(path.join(project, 'dist'))).toEqual(before);
    }, 60_000);
  });

  it('rejects unknown options with exit 2 and the verb help', () => {
    const result = o11y(['build', '--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: o11y build');
  }, 30_000);
});
