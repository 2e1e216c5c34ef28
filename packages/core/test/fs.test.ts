import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { treeWriter, writeTree } from '../src/index.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-core-fs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('writing a tree of files', () => {
  it('writes each file as it comes, text or bytes, into the folders it needs', () => {
    const dir = path.join(scratch, 'tree');
    const write = treeWriter(dir);
    write({ path: 'team-a/nested/first.json', content: '{"first": true}\n' });
    // On disk before the next file is made: the caller holds one file's text at a time.
    expect(readFileSync(path.join(dir, 'team-a/nested/first.json'), 'utf8')).toBe('{"first": true}\n');
    write({ path: 'team-a/nested/second.bin', content: new TextEncoder().encode('bytes\n') });
    write({ path: 'team-b/third.yaml', content: 'third: 3\n' });
    expect(readFileSync(path.join(dir, 'team-a/nested/second.bin'), 'utf8')).toBe('bytes\n');
    expect(readdirSync(dir).sort()).toEqual(['team-a', 'team-b']);
    expect(readFileSync(path.join(dir, 'team-b/third.yaml'), 'utf8')).toBe('third: 3\n');
  });

  it('throws at the file it cannot write, naming its path', async () => {
    const dir = path.join(scratch, 'failing');
    await writeTree(dir, [{ path: 'taken', content: 'a file where a folder is needed' }]);
    const write = treeWriter(dir);
    expect(() => write({ path: 'taken/inside.json', content: '{}' })).toThrow(/taken/);
    await expect(writeTree(dir, [{ path: 'taken/inside.json', content: '{}' }])).rejects.toThrow(/taken/);
    expect(readFileSync(path.join(dir, 'taken'), 'utf8')).toBe('a file where a folder is needed');
  });
});
