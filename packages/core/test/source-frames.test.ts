/**
 * captureSource reads the nearest frames first and the rest only when no user frame is among them: part of
 * V8's capture costs by the frame. In a process of its own, where Node formats stacks (the fast path).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// A library (a path under packages/<name>/dist/) whose builder calls captureSource `depth` frames down.
const library = `import { captureSource, withSource } from ${JSON.stringify(source)};
export function builder(depth) {
  return depth === 0 ? captureSource() : builder(depth - 1);
}
// A kit: many builder calls for one call of the user's.
export function kit(count) {
  return withSource(captureSource(), () => Array.from({ length: count }, () => builder(2)));
}
export function failingKit() {
  return withSource(captureSource(), () => {
    throw new Error('bad option');
  });
}
`;
// Each capture records the stack trace limit it ran with.
const user = `const limits = [];
const capture = Error.captureStackTrace;
Error.captureStackTrace = (target, below) => {
  limits.push(Error.stackTraceLimit);
  capture(target, below);
};
const { builder, kit, failingKit } = await import('./packages/lib/dist/builder.js');
const measure = (depth) => {
  limits.length = 0;
  const at = builder(depth);
  return { at, limits: [...limits], after: Error.stackTraceLimit };
};
const near = measure(2);
const far = measure(7);
Error.stackTraceLimit = 40;
const deeper = measure(30);
Error.stackTraceLimit = 10;
limits.length = 0;
const kitted = kit(5);
const kitCaptures = limits.length;
try {
  failingKit();
} catch {}
const afterKits = builder(2);
process.stdout.write(JSON.stringify({ near, far, deeper, kitted, kitCaptures, afterKits }));
`;

describe('captureSource reads the nearest frames first', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'o11y-source-frames-'));
    await mkdir(path.join(dir, 'packages/lib/dist'), { recursive: true });
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', workspaces: [] }));
    await writeFile(path.join(dir, 'packages/lib/dist/builder.js'), library);
    await writeFile(path.join(dir, 'user.mjs'), user);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the user frame among six frames, or deeper with the configured limit, and restores it', () => {
    const run = spawnSync(process.execPath, ['user.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const at = { file: 'user.mjs', line: 10, column: 14 };
    expect(JSON.parse(run.stdout)).toEqual({
      // Three frames of the library, then the user's: the first six frames hold it.
      near: { at, limits: [6], after: 10 },
      // Eight frames of the library: read again with the default limit of 10.
      far: { at, limits: [6, 10], after: 10 },
      // A limit the user raised is the one the second read uses.
      deeper: { at, limits: [6, 40], after: 40 },
      // A kit's builder calls are its caller's line, read from the stack once.
      kitted: Array(5).fill({ file: 'user.mjs', line: 19, column: 16 }),
      kitCaptures: 1,
      // Out of the kits, a failed one too, each capture is its own line again.
      afterKits: { file: 'user.mjs', line: 24, column: 19 },
    });
  });
});
