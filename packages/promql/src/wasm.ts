import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { O11yError } from '@o11y/core';

/**
 * Parser options of the pinned Prometheus. Defaults are what the Prometheus server and promtool
 * enable without feature flags: duration expressions on, everything else off.
 */
export interface ParserOptions {
  /** `--enable-feature=promql-experimental-functions` (e.g. `sort_by_label`, `limitk`). Default false. */
  readonly experimentalFunctions?: boolean;
  /** Duration expressions such as `[5m + step()]`. Default true (enabled by default since Prometheus 3.x). */
  readonly durationExpressions?: boolean;
  /** `--enable-feature=promql-extended-range-selectors` (`anchored`, `smoothed`). Default false. */
  readonly extendedRangeSelectors?: boolean;
  /** `--enable-feature=promql-binop-fill-modifiers` (`fill`, `fill_left`, `fill_right`). Default false. */
  readonly binopFillModifiers?: boolean;
}

/** The bit layout of the options word the Go shim reads (see go/shim/shim.go). */
export function optionFlags(options: ParserOptions = {}): number {
  return (
    (options.experimentalFunctions ? 1 : 0) |
    ((options.durationExpressions ?? true) ? 2 : 0) |
    (options.extendedRangeSelectors ? 4 : 0) |
    (options.binopFillModifiers ? 8 : 0)
  );
}

export const WASM_URL = new URL('../dist/promql.wasm', import.meta.url);
const LOADER_URL = new URL('../dist/wasm_exec.js', import.meta.url);

/**
 * The part of the WebAssembly JS API used here. Node has all of it, but @types/node 20 does not
 * declare it and the DOM lib would bring in every browser global.
 */
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      compile(bytes: Uint8Array): Promise<WasmModule>;
      Instance: new (module: WasmModule, imports: unknown) => WasmInstance;
    };
  }
).WebAssembly;

interface GoRuntime {
  argv: string[];
  env: Record<string, string>;
  readonly importObject: unknown;
  run(instance: WasmInstance): Promise<void>;
}

/** A program's exports: `<prefix>Input`, `<prefix>Output` and its calls, each `(length, flags) → output length`. */
type ProgramExports = { readonly mem: { readonly buffer: ArrayBuffer } } & Record<string, unknown>;
type Entry = (...args: number[]) => number;

type GoConstructor = new () => GoRuntime;

/** The smallest input buffer asked of the Go side: typical expressions never need a second one. */
const MIN_INPUT_CAPACITY = 1024;

/**
 * One running Go program (the parser), whose exports are named
 * `<prefix>Input`, `<prefix>Output` and `<prefix><Call>`. Replaced by a fresh instance if it ever
 * traps, so one bad call cannot poison the next; `failure` renders the trap as the call's result.
 *
 * A call costs a few microseconds, so the per-call work on this side is kept small: the input buffer's
 * address is asked for only when a longer expression needs a bigger one (Go's collector does not move
 * it, and the program holds it), and one Buffer over the linear memory is kept until the memory grows.
 */
class Shim<Call extends string> {
  private exports!: ProgramExports;
  private entries!: Record<Call | 'Input' | 'Output', Entry>;
  private memory!: Buffer;
  private inputAt!: number;
  private inputCapacity!: number;

  constructor(
    private readonly Go: GoConstructor,
    private readonly module: WasmModule,
    private readonly prefix: string,
    private readonly calls: readonly Call[],
    private readonly failure: (text: string, message: string) => string,
  ) {
    this.start();
  }

  private start(): void {
    // The Go program schedules its own garbage collection (go/cmd/wasm/main.go, collectIfDue).
    const go = new this.Go();
    // Synchronous instantiation is fine in Node and lets a trapped instance be replaced inside parse().
    const instance = new wasmApi.Instance(this.module, go.importObject);
    // Runs Go's main until it parks; the promise only settles if the program exits.
    go.run(instance).catch(() => undefined);
    this.exports = instance.exports as ProgramExports;
    const names = [...this.calls, 'Input', 'Output'] as const;
    this.entries = Object.fromEntries(
      names.map((name) => [name, this.exports[`${this.prefix}${name}`] as Entry]),
    ) as Record<Call | 'Input' | 'Output', Entry>;
    this.inputCapacity = MIN_INPUT_CAPACITY;
    this.inputAt = this.entries.Input(MIN_INPUT_CAPACITY);
    this.memory = Buffer.from(this.exports.mem.buffer);
  }

  /** The Buffer over the linear memory, renewed if growing the memory replaced its ArrayBuffer. */
  private currentMemory(): Buffer {
    const buffer = this.exports.mem.buffer;
    if (this.memory.buffer !== buffer) this.memory = Buffer.from(buffer);
    return this.memory;
  }

  call(kind: Call, text: string, flags: number): string {
    try {
      return this.invoke(kind, text, flags);
    } catch (error) {
      this.start();
      return this.failure(text, (error as Error).message);
    }
  }

  private invoke(kind: Call, text: string, flags: number): string {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit (a lone surrogate becomes U+FFFD, also 3).
    const capacity = text.length * 3;
    if (capacity > this.inputCapacity) {
      this.inputCapacity = capacity;
      this.inputAt = this.entries.Input(capacity);
    }
    const written = this.currentMemory().write(text, this.inputAt, capacity, 'utf8');
    const length = this.entries[kind](written, flags);
    const at = this.entries.Output();
    // Look at the memory only now: the call may have grown (and so replaced) it.
    return this.currentMemory().toString('utf8', at, at + length);
  }
}

let loading: Promise<void> | undefined;
let shim: Shim<'Parse' | 'Prettify'> | undefined;

/** Loads the wasm once; later calls return the same promise. Parsing is synchronous afterwards. */
export function init(): Promise<void> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function compileProgram(url: URL, what: string): Promise<{ Go: GoConstructor; module: WasmModule }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(fileURLToPath(url));
  } catch (error) {
    throw new O11yError(
      `${what} (packages/promql/dist/${path.basename(fileURLToPath(url))}) has not been built`,
      {
        id: 'promql/not-built',
        hint: 'run `npm run build -w @o11y/promql` (needs Go 1.26+), or `npm run build` at the root',
        cause: error,
      },
    );
  }
  routeGoOutputToStderr();
  await import(pathToFileURL(fileURLToPath(LOADER_URL)).href);
  const Go = (globalThis as unknown as { Go: GoConstructor }).Go;
  return { Go, module: await wasmApi.compile(bytes) };
}

async function load(): Promise<void> {
  const { Go, module } = await compileProgram(WASM_URL, 'the PromQL parser');
  shim = new Shim(Go, module, 'promql', ['Parse', 'Prettify'], (text, message) =>
    JSON.stringify({
      ok: false,
      errors: [
        {
          message: `internal error in the PromQL binding: ${message}`,
          start: 0,
          end: text.length,
          line: 1,
          column: 1,
        },
      ],
    }),
  );
}

/**
 * Go's loader writes the program's stdout and stderr through `globalThis.fs`, and without one it
 * falls back to console.log. A library must not write to stdout: send everything (only upstream's
 * panic traces, in practice) to stderr.
 */
function routeGoOutputToStderr(): void {
  const global = globalThis as { fs?: unknown };
  if (global.fs) return;
  const unsupported = (callback: (error: Error) => void) => {
    const error = Object.assign(new Error('not implemented'), { code: 'ENOSYS' });
    callback(error);
  };
  const fs = {
    constants: {
      O_WRONLY: -1,
      O_RDWR: -1,
      O_CREAT: -1,
      O_TRUNC: -1,
      O_APPEND: -1,
      O_EXCL: -1,
      O_DIRECTORY: -1,
    },
    writeSync(_fd: number, buffer: Uint8Array): number {
      process.stderr.write(buffer);
      return buffer.length;
    },
    write(
      fd: number,
      buffer: Uint8Array,
      offset: number,
      length: number,
      position: number | null,
      callback: (error: Error | null, written?: number) => void,
    ): void {
      if (offset !== 0 || length !== buffer.length || position !== null) unsupported(callback);
      else callback(null, fs.writeSync(fd, buffer));
    },
    fsync(_fd: number, callback: (error: Error | null) => void): void {
      callback(null);
    },
  };
  global.fs = fs;
}

/** The raw JSON the Go shim returns for `kind`. */
export function callShim(kind: 'parse' | 'prettify', text: string, flags: number): string {
  if (!shim) {
    throw new O11yError('@o11y/promql is used before init()', {
      id: 'promql/not-initialised',
      hint: 'await init() from @o11y/promql once before parsing; parsing is synchronous afterwards',
    });
  }
  return shim.call(kind === 'parse' ? 'Parse' : 'Prettify', text, flags);
}
