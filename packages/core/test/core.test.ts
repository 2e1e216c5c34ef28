import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  captureSource,
  compareCodePoints,
  formatDiagnostic,
  formatDuration,
  O11yError,
  parseDuration,
  sourceFromStack,
  stableStringify,
  swapDirectory,
  writeTree,
} from '../src/index.ts';

describe('source locations', () => {
  it('name the caller outside the libraries, relative to the project root', () => {
    const here = captureSource();
    expect(here.file).toBe('packages/core/test/core.test.ts');
    expect(here.line).toBe(20);
  });

  it('skip library and runtime frames in a stack', () => {
    const stack = [
      'Error: boom',
      '    at build (/work/main/packages/rules/src/build.ts:10:3)',
      '    at Module._compile (node:internal/modules/cjs/loader:1376:14)',
      '    at file:///work/main/node_modules/tsx/dist/x.js:1:1',
      '    at file:///work/main/rules/payments.ts:42:7',
    ].join('\n');
    expect(sourceFromStack(stack)).toEqual({ file: 'rules/payments.ts', line: 42, column: 7 });
    expect(
      sourceFromStack('    at Module._compile (node:internal/modules/cjs/loader:1376:14)'),
    ).toBeUndefined();
  });

  it('format as file:line:col, message, check id and hint', () => {
    const error = new O11yError('objective must be below 1', {
      source: { file: 'rules/slo.ts', line: 3, column: 5 },
      id: 'build/slo-objective',
      hint: 'use 0.999 for three nines',
    });
    expect(formatDiagnostic(error.toDiagnostic())).toBe(
      'rules/slo.ts:3:5  objective must be below 1  (build/slo-objective)\n    hint: use 0.999 for three nines',
    );
  });
});

describe('durations', () => {
  it('parse Prometheus spellings and print the canonical one', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('30d')).toBe(2_592_000_000);
    expect(parseDuration('0')).toBe(0);
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(parseDuration('90m'))).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
  });

  it('reject malformed or out-of-order units', () => {
    expect(() => parseDuration('5 m')).toThrow(O11yError);
    expect(() => parseDuration('30m1h')).toThrow(/largest to smallest/);
    expect(() => parseDuration('')).toThrow(O11yError);
  });
});

describe('deterministic JSON', () => {
  it('sorts keys by code point, drops undefined, keeps array order', () => {
    const text = stableStringify({ b: 1, a: [3, 1], Z: { y: undefined, x: 'é' } });
    expect(text).toBe('{\n  "Z": {\n    "x": "é"\n  },\n  "a": [\n    3,\n    1\n  ],\n  "b": 1\n}\n');
    expect(['b', 'a', 'B', 'é'].sort(compareCodePoints)).toEqual(['B', 'a', 'b', 'é']);
  });

  it('orders the keys of small and large objects alike', () => {
    // Keys in a scrambled order, with upper case, punctuation and non-ASCII (no integer-like key, which JavaScript orders first): 5 and 500 of them.
    const keysOf = (count: number) =>
      Array.from({ length: count }, (_, i) => `${'bZa-é_'[(i * 7) % 6]}${(i * 7919) % count}`);
    for (const count of [5, 500]) {
      const keys = keysOf(count);
      const sorted = Object.keys(JSON.parse(stableStringify(Object.fromEntries(keys.map((k) => [k, 1])))));
      expect(sorted).toEqual([...new Set(keys)].sort(compareCodePoints));
    }
  });
});

describe('directory swap', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-core-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('replaces the target whole and removes the previous tree', async () => {
    const target = path.join(scratch, 'dist');
    const first = path.join(scratch, 'stage1');
    await writeTree(first, [{ path: 'a/old.txt', content: 'old' }]);
    await swapDirectory(first, target);
    const second = path.join(scratch, 'stage2');
    await writeTree(second, [{ path: 'new.txt', content: 'new' }]);
    await swapDirectory(second, target);
    expect(readFileSync(path.join(target, 'new.txt'), 'utf8')).toBe('new');
    expect(existsSync(path.join(target, 'a', 'old.txt'))).toBe(false);
    expect(existsSync(first) || existsSync(second)).toBe(false);
  });

  it('keeps the previous tree when the new one cannot be moved in', async () => {
    const target = path.join(scratch, 'kept');
    const stage = path.join(scratch, 'stage3');
    await writeTree(stage, [{ path: 'x.txt', content: 'x' }]);
    await swapDirectory(stage, target);
    await expect(swapDirectory(path.join(scratch, 'missing-stage'), target)).rejects.toThrow();
    expect(readFileSync(path.join(target, 'x.txt'), 'utf8')).toBe('x');
  });
});
