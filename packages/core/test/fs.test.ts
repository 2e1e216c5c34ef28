import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
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

  it('links a file the tree it replaces holds with the same bytes, and writes every other', async () => {
    const previous = path.join(scratch, 'previous');
    const large = '{"panel": "ü"}\n'.repeat(20_000);
    await writeTree(previous, [
      { path: 'same/dashboard.json', content: '{"same": true}\n' },
      { path: 'same/bytes.bin', content: new Uint8Array([1, 2, 3]) },
      { path: 'large.json', content: large },
      { path: 'large-edited.json', content: large },
      { path: 'edited.json', content: '{"edited": 1}\n' },
      { path: 'grown.json', content: '{}\n' },
      { path: 'target.json', content: '{"linked": "to"}\n' },
    ]);
    symlinkSync(path.join(previous, 'target.json'), path.join(previous, 'symlink.json'));
    const dir = path.join(scratch, 'next');
    const write = treeWriter(dir, previous);
    const files = [
      { path: 'same/dashboard.json', content: '{"same": true}\n' },
      { path: 'same/bytes.bin', content: new Uint8Array([1, 2, 3]) },
      { path: 'large.json', content: large },
      // Same size, other bytes: in the last of the chunks compared, and in a file of one.
      { path: 'large-edited.json', content: `${large.slice(0, -4)}é"}\n` },
      { path: 'edited.json', content: '{"edited": 2}\n' },
      { path: 'grown.json', content: '{"grown": true}\n' },
      { path: 'symlink.json', content: '{"linked": "to"}\n' },
      { path: 'new.json', content: '{"new": true}\n' },
    ];
    for (const file of files) write(file);
    const inode = (tree: string, file: string) => statSync(path.join(tree, file)).ino;
    for (const file of ['same/dashboard.json', 'same/bytes.bin', 'large.json'])
      expect(inode(dir, file), file).toBe(inode(previous, file));
    for (const file of ['large-edited.json', 'edited.json', 'grown.json', 'symlink.json'])
      expect(inode(dir, file), file).not.toBe(inode(previous, file));
    for (const { path: file, content } of files)
      expect(readFileSync(path.join(dir, file)), file).toEqual(Buffer.from(content));
    expect(readFileSync(path.join(previous, 'edited.json'), 'utf8')).toBe('{"edited": 1}\n');
    // Without the tree it replaces (a first build), every file is written.
    const first = path.join(scratch, 'first');
    treeWriter(first, path.join(scratch, 'absent'))(files[0]!);
    expect(readFileSync(path.join(first, 'same/dashboard.json'), 'utf8')).toBe('{"same": true}\n');
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
