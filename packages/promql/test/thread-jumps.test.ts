import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { threadJumps } from '../scripts/thread-jumps.mjs';
import { WASM_URL } from '../src/wasm.ts';

// @types/node 20 does not declare WebAssembly; this is the part the test uses.
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      validate(bytes: Uint8Array): boolean;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: { run(pcB: number, x: number): number } };
    };
  }
).WebAssembly;

const leb = (value: number): number[] => {
  const out: number[] = [];
  let rest = value;
  do {
    out.push((rest & 0x7f) | (rest > 0x7f ? 0x80 : 0));
    rest >>>= 7;
  } while (rest);
  return out;
};
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

/** A module exporting `run(pcB: i32, x: i32) -> i32` whose body is `code` (no further locals). */
function moduleOf(code: number[]): Uint8Array {
  const body = [0, ...code, 0x0b];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(7, [1, 3, ...Buffer.from('run'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

const [block, loop, ifThen, orElse, end, br, brTable] = [
  [0x02, 0x40],
  [0x03, 0x40],
  [0x04, 0x40],
  [0x05],
  [0x0b],
  0x0c,
  0x0e,
];
const pcB = 0;
const x = 1;
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
/** `i32.const`, whose immediate is signed LEB128. */
const i32 = (value: number) => {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && !(byte & 0x40)) || (rest === -1 && byte & 0x40)) return [0x41, ...out, byte];
    out.push(byte | 0x80);
  }
};
/** What Go emits for a jump to basic block `target`: set PC_B, branch to the dispatch loop. */
const jump = (target: number, depthOfLoop: number) => [...i32(target), ...set(pcB), br, ...leb(depthOfLoop)];
const addToX = (value: number) => [...get(x), ...i32(value), 0x6a, ...set(x)];
const returnXPlus = (value: number) => [...get(x), ...i32(value), 0x6a, 0x0f];
const whenXIs = (value: number, then: number[]) => [
  ...get(x),
  ...i32(value),
  0x46,
  ...ifThen,
  ...then,
  ...end,
];

/**
 * Go's shape: an exit block, the dispatch loop, one block per basic block and `br_table` on PC_B, which
 * sends PC_B = i to the block `table[i]` (`fallback` beyond the table). Code for block k follows the
 * end of its label; there the loop is `segments.length - 1 - k` labels out.
 */
function goShape(table: readonly number[], fallback: number, segments: readonly number[][]): number[] {
  return [
    ...block,
    ...loop,
    ...segments.flatMap(() => block),
    ...get(pcB),
    brTable,
    ...leb(table.length),
    ...table.flatMap(leb),
    ...leb(fallback),
    ...segments.flatMap((segment) => [...end, ...segment]),
    ...end,
    ...end,
    ...i32(0), // never reached: every test function returns from a block
  ];
}

/**
 * Block 0 jumps ahead to 2 when x > 10, else adds 1 and jumps to 1; block 1 adds 100 and jumps to 2;
 * block 2 adds 1000 and jumps back to 0 while x < 1000, else returns x. Three forward jumps, one
 * backward.
 */
const goShaped = goShape([0, 1, 2], 2, [
  [...get(x), ...i32(10), 0x4a /* i32.gt_s */, ...ifThen, ...jump(2, 3), ...end, ...addToX(1), ...jump(1, 2)],
  [...addToX(100), ...jump(2, 1)],
  [
    ...get(x),
    ...i32(1000),
    0x48 /* i32.lt_s */,
    ...ifThen,
    ...addToX(1000),
    ...jump(0, 1),
    ...end,
    ...get(x),
    0x0f,
  ],
]);

const run = (wasm: Uint8Array, input: number) =>
  new wasmApi.Instance(new wasmApi.Module(wasm)).exports.run(0, input);

/** Runs `code` before and after threading on each input: the answers must not change. */
function expectSameResults(code: number[], inputs: readonly number[]) {
  const original = moduleOf(code);
  const result = threadJumps(original);
  expect(wasmApi.validate(result.wasm)).toBe(true);
  for (const input of inputs) expect(run(result.wasm, input), `x = ${input}`).toBe(run(original, input));
  return { original, result, run: (input: number) => run(result.wasm, input) };
}

describe('threadJumps', () => {
  it('turns the forward jumps of a Go-shaped function into direct branches, with the same results', () => {
    const { result, run: runThreaded } = expectSameResults(goShaped, [-5, 0, 5, 11, 50, 999, 1000, 5000]);
    expect(result).toMatchObject({ functions: 1, unchanged: 0, jumps: 4, threaded: 3 });
    expect(runThreaded(5)).toBe(1106);
    // The forward jumps now leave through the enclosing block of their target; the backward one
    // still goes through the loop.
    const threaded = Array.from(result.wasm);
    const jumpsAfter = (target: number) =>
      threaded.flatMap((byte, at) =>
        byte === 0x41 && threaded[at + 1] === target && threaded[at + 2] === 0x21 && threaded[at + 4] === br
          ? [threaded[at + 5]]
          : [],
      );
    expect(jumpsAfter(2)).toEqual([2, 0]);
    expect(jumpsAfter(1)).toEqual([0]);
    expect(jumpsAfter(0)).toEqual([1]);
  });

  it('leaves a function without a dispatch loop byte for byte', () => {
    const plain = moduleOf([...loop, ...addToX(1), ...get(x), ...i32(10), 0x48, 0x0d, 0, ...end, ...get(x)]);
    const result = threadJumps(plain);
    expect(result).toMatchObject({ functions: 1, unchanged: 0, jumps: 0, threaded: 0 });
    expect(Buffer.from(result.wasm).equals(Buffer.from(plain))).toBe(true);
  });

  it('copies a function holding an instruction it does not know unchanged, and says so', () => {
    const simd = [0xfd, 0x0c, ...new Array(16).fill(0), 0x1a]; // v128.const, drop
    const unknown = moduleOf([...simd, ...goShaped]);
    const result = threadJumps(unknown);
    expect(result).toMatchObject({ functions: 1, unchanged: 1, threaded: 0 });
    expect(Buffer.from(result.wasm).equals(Buffer.from(unknown))).toBe(true);
  });

  it('follows the dispatch table: shared targets, the fallback, negative block numbers, else arms', () => {
    // PC_B 0 → block 0, 1 → block 2, 2 and 3 → block 1, anything else → block 2.
    const shape = goShape([0, 2, 1, 1], 2, [
      [
        ...whenXIs(0, jump(2, 3)),
        ...whenXIs(1, jump(7, 3)),
        ...whenXIs(2, jump(-1, 3)),
        ...get(x),
        ...i32(3),
        0x46,
        ...ifThen,
        ...jump(1, 3),
        ...orElse,
        ...jump(3, 3),
        ...end,
      ],
      returnXPlus(100),
      returnXPlus(200),
    ]);
    const { result, run: threaded } = expectSameResults(shape, [0, 1, 2, 3, 4]);
    expect(result).toMatchObject({ jumps: 5, threaded: 5 });
    expect([0, 1, 2, 3, 4].map(threaded)).toEqual([100, 201, 202, 203, 104]);
  });

  it('re-encodes shorter branch depths and body sizes (a jump out of 130 blocks)', () => {
    // Block k adds 1 and jumps to k + 1; the last one loops back to 0 until x reaches 1000. From
    // block 0 the loop is 129 labels out (two LEB128 bytes), the next block's label 0 (one).
    const count = 130;
    const segments = Array.from({ length: count - 1 }, (_, k) => [
      ...addToX(1),
      ...jump(k + 1, count - 1 - k),
    ]);
    const last = [
      ...whenXIs(-1, []),
      ...get(x),
      ...i32(1000),
      0x48,
      ...ifThen,
      ...jump(0, 1),
      ...end,
      ...get(x),
      0x0f,
    ];
    const shape = goShape(
      Array.from({ length: count }, (_, k) => k),
      count - 1,
      [...segments, last],
    );
    const { original, result, run: threaded } = expectSameResults(shape, [0, 500, 2000]);
    expect(result).toMatchObject({ jumps: count, threaded: count - 1 });
    expect(threaded(0)).toBe(1032);
    expect(result.wasm.length).toBeLessThan(original.length);
  });

  it('leaves alone a branch to the loop that does not set PC_B to a constant', () => {
    const returnSevenOnSecondPass = whenXIs(1, [...i32(7), 0x0f]);
    const setsAnotherLocal = [...returnSevenOnSecondPass, ...i32(1), ...set(x), br, 1];
    const computesPcB = [
      ...returnSevenOnSecondPass,
      ...i32(1),
      ...set(x),
      ...i32(1),
      ...i32(1),
      0x6b,
      ...set(pcB),
      br,
      1,
    ];
    for (const first of [setsAnotherLocal, computesPcB]) {
      const { result, run: threaded } = expectSameResults(
        goShape([0, 1], 1, [first, returnXPlus(1000)]),
        [0],
      );
      expect(result).toMatchObject({ jumps: 0, threaded: 0 });
      expect(threaded(0)).toBe(7);
    }
  });

  it('refuses bytes that are not a WebAssembly module', () => {
    expect(() => threadJumps(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toThrow(
      /not a WebAssembly/,
    );
  });

  it('has been applied to dist/promql.wasm, knowing every instruction Go emitted', () => {
    const built = readFileSync(fileURLToPath(WASM_URL));
    const again = threadJumps(built);
    expect(again.unchanged).toBe(0);
    expect(again.threaded).toBe(0);
    // Loops remain: their backward jumps keep going through the dispatch.
    expect(again.jumps).toBeGreaterThan(1000);
    expect(Buffer.from(again.wasm).equals(built)).toBe(true);
  });
});
