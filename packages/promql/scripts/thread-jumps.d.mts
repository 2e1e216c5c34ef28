export interface ThreadingResult {
  /** The rewritten module. */
  readonly wasm: Uint8Array;
  /** Function bodies in the module. */
  readonly functions: number;
  /** Functions copied as they were because the decoder could not walk them through (unknown instruction, unbalanced labels). */
  readonly unchanged: number;
  /** Jumps that go through a function's dispatch loop (`i32.const; local.set PC_B; br loop`). */
  readonly jumps: number;
  /** Of those, the forward jumps rewritten into direct branches. */
  readonly threaded: number;
}

/** Rewrites the forward jumps of every Go function in a js/wasm module into direct branches. */
export function threadJumps(wasm: Uint8Array): ThreadingResult;
