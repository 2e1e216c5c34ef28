// Builds dist/promql.wasm (the Go shim for GOOS=js, its jumps threaded by thread-jumps.mjs), dist/rules-native
// (upstream's rule file validation, for lint), dist/wasm_exec.js (Go's loader, copied from the
// toolchain that built the wasm, never committed) and dist/promql-native (the same shim built natively:
// the oracle of the fidelity test and the native side of the benchmark).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadJumps } from './thread-jumps.mjs';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const goDir = path.join(packageDir, 'go');
const dist = path.join(packageDir, 'dist');

const probe = spawnSync('go', ['env', 'GOROOT', 'GOVERSION'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.error(
    '@o11y/promql: the Go toolchain is needed to build the PromQL parser (Go → WebAssembly), but `go` was not found.\n' +
      '  Install Go 1.26 or newer (https://go.dev/dl/) and make sure `go` is on PATH, then run `npm run build -w @o11y/promql`.',
  );
  process.exit(1);
}
const [goroot, goversion] = probe.stdout.trim().split('\n');

// Reproducible: no VCS stamp, no local paths, no symbol tables; never fetch another toolchain.
const flags = ['-trimpath', '-buildvcs=false', '-ldflags=-s -w'];
const baseEnv = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' };

/** Builds `pkg` into `target`, passing the binary through `transform` before it replaces the old one. */
function goBuild(target, pkg, env, transform) {
  const temporary = `${target}.tmp-${process.pid}`;
  const result = spawnSync('go', ['build', ...flags, '-o', temporary, pkg], {
    cwd: goDir,
    env: { ...baseEnv, ...env },
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    rmSync(temporary, { force: true });
    console.error(`@o11y/promql: \`go build ${pkg}\` failed (${goversion}); see the output above.`);
    process.exit(1);
  }
  if (transform) {
    try {
      writeFileSync(temporary, transform(readFileSync(temporary)));
    } catch (error) {
      rmSync(temporary, { force: true });
      console.error(`@o11y/promql: post-processing ${path.basename(target)} failed: ${error.message}`);
      process.exit(1);
    }
  }
  renameSync(temporary, target);
}

let threading;
const threadWasmJumps = (bytes) => {
  threading = threadJumps(bytes);
  if (!WebAssembly.validate(threading.wasm))
    throw new Error('the module with threaded jumps does not validate');
  return threading.wasm;
};

mkdirSync(dist, { recursive: true });
goBuild(path.join(dist, 'promql.wasm'), './cmd/wasm', { GOOS: 'js', GOARCH: 'wasm' }, threadWasmJumps);
goBuild(path.join(dist, 'promql-native'), './cmd/native', {});
// The rule file validator (upstream's rulefmt, what `promtool check rules` runs): a native program, started
// only by lint when it reads rule files (see go/cmd/rules-native for why not wasm).
goBuild(path.join(dist, 'rules-native'), './cmd/rules-native', {});

const loader = ['lib/wasm/wasm_exec.js', 'misc/wasm/wasm_exec.js']
  .map((relative) => path.join(goroot, relative))
  .find((candidate) => existsSync(candidate));
if (!loader) {
  console.error(`@o11y/promql: wasm_exec.js not found under ${goroot}/lib/wasm or ${goroot}/misc/wasm.`);
  process.exit(1);
}
copyFileSync(loader, path.join(dist, 'wasm_exec.js'));
console.log(
  `@o11y/promql: built dist/promql.wasm, dist/wasm_exec.js, dist/promql-native and dist/rules-native with ${goversion}; ` +
    `${threading.threaded} of ${threading.jumps} jumps threaded in ${threading.functions} functions` +
    (threading.unchanged ? ` (${threading.unchanged} functions left unchanged: unknown instructions)` : ''),
);
