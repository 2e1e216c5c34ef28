// Jump threading for Go's js/wasm output, run by build.mjs on dist/promql.wasm.
//
// Go's wasm backend compiles every jump between the basic blocks of a function as
//     i32.const <block> ; local.set <PC_B> ; br <entry loop>
// and the entry loop opens with one `block` per resume point followed by `br_table` on PC_B. Every
// jump thus goes back to the loop head and through one indirect branch shared by the whole function
// (the parser runs 5–9 % faster without it; see the README). A forward jump lands on a
// block whose label still encloses the jump, so a direct `br` to that label reaches the same
// instruction with PC_B set as before; this pass rewrites only that branch depth. Backward jumps
// (loops) keep the dispatch: no enclosing label reaches them. Functions that do not have exactly this
// shape are left alone; one the decoder cannot walk from start to end (an instruction it does not
// know, unbalanced labels) is copied unchanged and counted. Only branch depths change, and a depth
// only shrinks, so no other section refers to anything that moved (Go emits no DWARF for wasm).
//
// Proof of equivalence in practice: the fidelity and fuzz tests compare the rewritten module with the
// same shim compiled natively (test/fidelity.test.ts, test/fuzz.test.ts).

const CODE_SECTION = 10;
const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brTable: 0x0e,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
};
const EMPTY_BLOCK_TYPE = 0x40;

class UnknownOpcode extends Error {}

/** A cursor over bytes with the LEB128 readers the binary format needs. */
class Reader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    if (this.at >= this.bytes.length) throw new UnknownOpcode('unexpected end of code');
    return this.bytes[this.at++];
  }
  u32() {
    return this.leb(false);
  }
  s32() {
    return this.leb(true);
  }
  /** LEB128 as a plain number (exact up to 2^53, far beyond the 32 bits read here). */
  leb(signed) {
    let result = 0;
    let scale = 1;
    let byte;
    do {
      byte = this.byte();
      result += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return signed && byte & 0x40 ? result - scale : result;
  }
  skipLeb() {
    while (this.byte() & 0x80);
  }
  skip(count) {
    if (this.at + count > this.bytes.length) throw new UnknownOpcode('unexpected end of code');
    this.at += count;
  }
}

function encodeU32(value) {
  const out = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest) byte |= 0x80;
    out.push(byte);
  } while (rest);
  return out;
}

/** Skips the immediates of `opcode` (already read): MVP, sign-extension, saturating and bulk-memory ops. */
function skipImmediates(opcode, reader) {
  if (opcode === OP.block || opcode === OP.loop || opcode === OP.if) {
    const type = reader.bytes[reader.at];
    if (type === EMPTY_BLOCK_TYPE || (type >= 0x6f && type <= 0x7f)) reader.skip(1);
    else if (type < 0x40)
      reader.u32(); // a type index below 64 (a one-byte non-negative s33)
    else throw new UnknownOpcode(`block type 0x${type.toString(16)}`);
  } else if (opcode === OP.brTable) {
    const count = reader.u32();
    for (let i = 0; i <= count; i++) reader.u32();
  } else if (opcode === 0x11) {
    reader.u32();
    reader.u32();
  } else if (opcode === 0x1c) {
    const count = reader.u32();
    for (let i = 0; i < count; i++) {
      if (reader.byte() < 0x6f) throw new UnknownOpcode('select with a reference type');
    }
  } else if (opcode >= 0x28 && opcode <= 0x3e) {
    // Memory access: alignment and offset; bit 6 of the alignment would add a memory index.
    if (reader.u32() & 0x40) throw new UnknownOpcode('memory index other than 0');
    reader.u32();
  } else if ((opcode >= 0x20 && opcode <= 0x26) || [0x0c, 0x0d, 0x10, 0xd2].includes(opcode)) {
    reader.u32();
  } else if (opcode === 0x3f || opcode === 0x40) {
    if (reader.byte() !== 0) throw new UnknownOpcode('memory index other than 0');
  } else if (opcode === 0xd0) {
    reader.skip(1);
  } else if (opcode === OP.i32Const || opcode === 0x42) {
    reader.skipLeb();
  } else if (opcode === 0x43) {
    reader.skip(4);
  } else if (opcode === 0x44) {
    reader.skip(8);
  } else if (opcode === 0xfc) {
    skipMiscImmediates(reader.u32(), reader);
  } else if (
    !(
      (opcode >= 0x45 && opcode <= 0xc4) ||
      [0x00, 0x01, 0x05, OP.end, 0x0f, 0x1a, 0x1b, 0xd1].includes(opcode)
    )
  ) {
    throw new UnknownOpcode(`opcode 0x${opcode.toString(16)}`);
  }
}

function skipMiscImmediates(subOpcode, reader) {
  if (subOpcode <= 7) return; // saturating truncations
  if (subOpcode === 8) {
    reader.u32();
    reader.skip(1);
  } else if (subOpcode === 10) reader.skip(2);
  else if (subOpcode === 11) reader.skip(1);
  else if (subOpcode === 12 || subOpcode === 14) {
    reader.u32();
    reader.u32();
  } else if (subOpcode === 9 || (subOpcode >= 13 && subOpcode <= 17)) reader.u32();
  else throw new UnknownOpcode(`opcode 0xfc ${subOpcode}`);
}

/**
 * If the loop whose body starts at `bytes[at]` opens with `block`s, `local.get PC_B` and `br_table`,
 * returns PC_B's index and, for each PC_B value, the label it dispatches to (labels numbered like
 * `nextLabel`, the loop's own being `loopLabel`); otherwise undefined. Reads with its own cursor.
 */
function readDispatch(bytes, at, loopLabel, nextLabel) {
  const reader = new Reader(bytes, at);
  const blocks = [];
  while (bytes[reader.at] === OP.block && bytes[reader.at + 1] === EMPTY_BLOCK_TYPE) {
    reader.at += 2;
    blocks.push(nextLabel + blocks.length);
  }
  if (blocks.length === 0 || reader.byte() !== OP.localGet) return undefined;
  const pcB = reader.u32();
  if (reader.byte() !== OP.brTable) return undefined;
  const labels = [loopLabel, ...blocks]; // outermost first, as the label stack is
  const depthToLabel = (depth) => labels[labels.length - 1 - depth];
  const count = reader.u32();
  const targets = [];
  for (let i = 0; i < count; i++) targets.push(depthToLabel(reader.u32()));
  const fallback = depthToLabel(reader.u32());
  if (targets.includes(undefined) || fallback === undefined) return undefined;
  return { pcB, targets, fallback };
}

/** Threads the forward jumps of one function body; returns the new body (or the same) and counts. */
function threadBody(body) {
  const reader = new Reader(body);
  const declarations = reader.u32();
  for (let i = 0; i < declarations; i++) {
    reader.u32();
    if (reader.byte() < 0x6f) throw new UnknownOpcode('a local of a reference type');
  }
  const stack = []; // label ids of the open blocks, loops and ifs
  let nextLabel = 0;
  let dispatch;
  let entryLoop = -1;
  const recent = []; // the last two instructions: { opcode, immediate }
  const edits = [];
  let jumps = 0;
  let ended = false;
  while (reader.at < body.length) {
    const opcode = reader.byte();
    let immediate;
    if (opcode === OP.br && dispatch) {
      const depthAt = reader.at;
      const depth = reader.u32();
      const [constant, set] = recent;
      if (
        stack[stack.length - 1 - depth] === entryLoop &&
        constant?.opcode === OP.i32Const &&
        set?.opcode === OP.localSet &&
        set.immediate === dispatch.pcB
      ) {
        jumps++;
        const block = constant.immediate;
        const label =
          block >= 0 && block < dispatch.targets.length ? dispatch.targets[block] : dispatch.fallback;
        const index = stack.lastIndexOf(label);
        if (index >= 0) edits.push({ at: depthAt, end: reader.at, depth: stack.length - 1 - index });
      }
      immediate = depth;
    } else if (opcode === OP.i32Const) {
      immediate = reader.s32();
    } else if (opcode === OP.localSet) {
      immediate = reader.u32();
    } else {
      skipImmediates(opcode, reader);
    }
    if (opcode === OP.block || opcode === OP.loop || opcode === OP.if) {
      const label = nextLabel++;
      stack.push(label);
      if (opcode === OP.loop && !dispatch) {
        dispatch = readDispatch(body, reader.at, label, nextLabel);
        if (dispatch) entryLoop = label;
      }
    } else if (opcode === OP.end) {
      if (stack.length === 0) {
        // The function's own `end`: it must be the last byte of the body.
        if (reader.at !== body.length) throw new UnknownOpcode('code after the end of the function');
        ended = true;
      }
      stack.pop();
    }
    recent.push({ opcode, immediate });
    if (recent.length > 2) recent.shift();
  }
  if (!ended) throw new UnknownOpcode('the function does not end where its size says');
  if (edits.length === 0) return { body, jumps, threaded: 0 };
  const parts = [];
  let copied = 0;
  for (const edit of edits) {
    parts.push(body.subarray(copied, edit.at), Uint8Array.from(encodeU32(edit.depth)));
    copied = edit.end;
  }
  parts.push(body.subarray(copied));
  return { body: concat(parts), jumps, threaded: edits.length };
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Rewrites the forward jumps of every Go function in `wasm` into direct branches.
 * @param {Uint8Array} wasm a module built by Go's js/wasm (or wasip1) backend
 * @returns {{ wasm: Uint8Array, functions: number, unchanged: number, jumps: number, threaded: number }}
 *   `unchanged`: functions copied as they were because the decoder could not walk them through;
 *   `jumps`: jumps through a dispatch loop found; `threaded`: those turned into direct branches.
 */
export function threadJumps(wasm) {
  if (!WASM_HEADER.every((byte, at) => wasm[at] === byte)) {
    throw new Error('threadJumps: not a WebAssembly 1.0 module');
  }
  const sections = [wasm.subarray(0, 8)];
  const stats = { functions: 0, unchanged: 0, jumps: 0, threaded: 0 };
  const reader = new Reader(wasm, 8);
  while (reader.at < wasm.length) {
    const start = reader.at;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.at;
    const end = contentStart + size;
    if (end > wasm.length) throw new Error(`threadJumps: section ${id} runs past the end of the module`);
    if (id !== CODE_SECTION) {
      sections.push(wasm.subarray(start, end));
      reader.at = end;
      continue;
    }
    const count = reader.u32();
    const bodies = [Uint8Array.from(encodeU32(count))];
    for (let i = 0; i < count; i++) {
      const bodySize = reader.u32();
      if (reader.at + bodySize > end) throw new Error(`threadJumps: function ${i} runs past its section`);
      const body = wasm.subarray(reader.at, reader.at + bodySize);
      reader.at += bodySize;
      stats.functions++;
      let result = { body, jumps: 0, threaded: 0 };
      try {
        result = threadBody(body);
      } catch (error) {
        if (!(error instanceof UnknownOpcode)) throw error;
        stats.unchanged++;
      }
      stats.jumps += result.jumps;
      stats.threaded += result.threaded;
      bodies.push(Uint8Array.from(encodeU32(result.body.length)), result.body);
    }
    const content = concat(bodies);
    sections.push(Uint8Array.from([CODE_SECTION, ...encodeU32(content.length)]), content);
    reader.at = end;
  }
  return { wasm: concat(sections), ...stats };
}
