#!/usr/bin/env node
// Builds the pinned promtool, prometheus, amtool and alertmanager from their Go modules into .tools/bin;
// with `--stack`, instead the programs of the end-to-end stack that come from Go source (Cortex, Jaeger,
// the OpenTelemetry Collector).
//
// Pins (one place each):
//   Prometheus   — packages/promql/go/go.mod, the same module the PromQL wasm parser is built from;
//   Alertmanager — scripts/toolchain/alertmanager/go.mod;
//   Cortex, Jaeger — STACK_TOOLS below;
//   Collector    — scripts/toolchain/otelcol/builder-config.yaml (`dist.version`, also the builder's version).
// Builds are cached per version under ~/.cache/o11y/toolchain (or $O11Y_TOOLCHAIN_CACHE), so a fresh
// clone on a machine that built them once only copies the binaries.
//
// Plain Node with no dependencies: it runs before `npm ci` has installed anything.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolsBin = path.join(root, '.tools', 'bin');
const cacheRoot =
  process.env.O11Y_TOOLCHAIN_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'o11y', 'toolchain');

const MODULES = {
  prometheus: {
    dir: path.join(root, 'packages', 'promql', 'go'),
    module: 'github.com/prometheus/prometheus',
  },
  alertmanager: {
    dir: path.join(root, 'scripts', 'toolchain', 'alertmanager'),
    module: 'github.com/prometheus/alertmanager',
  },
};

const TOOLS = [
  { name: 'promtool', from: 'prometheus', pkg: 'cmd/promtool' },
  { name: 'prometheus', from: 'prometheus', pkg: 'cmd/prometheus' },
  { name: 'amtool', from: 'alertmanager', pkg: 'cmd/amtool' },
  { name: 'alertmanager', from: 'alertmanager', pkg: 'cmd/alertmanager' },
];

/**
 * The end-to-end stack's programs built from their module's own source: their go.mod has `replace`
 * lines, which `go install module@version` refuses, so we build inside a copy of the downloaded module.
 */
const STACK_TOOLS = [
  {
    name: 'cortex',
    module: 'github.com/cortexproject/cortex',
    version: 'v1.21.1',
    pkg: './cmd/cortex',
    // Cortex's own Makefile's tags: without `slicelabels` the first rule upload dies out of memory.
    tags: 'netgo slicelabels',
    // What its `--version` prints (Cortex's Makefile stamps main.Version).
    ldflags: (release, version) => versionStamp(release, version, 'main'),
  },
  {
    name: 'jaeger',
    module: 'github.com/jaegertracing/jaeger',
    version: 'v1.75.0',
    pkg: './cmd/jaeger',
    tags: '',
    // Jaeger's Makefile stamps these two (and a date, left out so that builds are reproducible).
    ldflags: (_release, version) =>
      ['latestVersion', 'commitSHA']
        .map((name) => `-X github.com/jaegertracing/jaeger/internal/version.${name}=${version}`)
        .join(' '),
  },
];

/** The Collector is assembled by its own `builder` from the committed manifest. */
const COLLECTOR_MANIFEST = path.join(root, 'scripts', 'toolchain', 'otelcol', 'builder-config.yaml');
const COLLECTOR_BUILDER = 'go.opentelemetry.io/collector/cmd/builder';

function fail(message, hint) {
  process.stderr.write(`toolchain: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`);
  process.exit(2);
}

function step(label, action) {
  const started = process.hrtime.bigint();
  process.stdout.write(`toolchain: ${label} …\n`);
  const result = action();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`toolchain: ${label} done in ${seconds.toFixed(1)}s\n`);
  return result;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.error) {
    if (result.error.code === 'ENOENT')
      fail(
        `\`${command}\` is not installed`,
        'install Go 1.26 or newer (https://go.dev/dl) and make sure `go` is on PATH',
      );
    throw result.error;
  }
  return result;
}

/** The module's pinned version, read by Go itself from the committed go.mod. */
function pinnedVersion({ dir, module }) {
  const result = run('go', ['list', '-m', '-f', '{{.Version}}', module], { cwd: dir });
  if (result.status !== 0)
    fail(`cannot read the pinned version of ${module} in ${path.relative(root, dir)}`, result.stderr.trim());
  return result.stdout.trim();
}

/** Prometheus's Go module v0.315.0 is release 3.15.0; Alertmanager's v0.34.2 is 0.34.2. */
function releaseVersion(from, moduleVersion) {
  const [major, minor, patch] = moduleVersion.replace(/^v/, '').split(/[.-]/);
  if (from === 'prometheus' && major === '0') return `3.${Number(minor) - 300}.${patch}`;
  return `${major}.${minor}.${patch}`;
}

function explainGoFailure(result, what) {
  const output = `${result.stderr}\n${result.stdout}`.trim();
  const registry = /proxy|dial tcp|no such host|403 Forbidden|connection refused|i\/o timeout/i.test(output);
  fail(
    `building ${what} failed`,
    registry
      ? `the Go module proxy (${process.env.GOPROXY ?? 'GOPROXY default'}) could not serve a module; check network access to it.\n${output.split('\n').slice(-8).join('\n')}`
      : output.split('\n').slice(-20).join('\n'),
  );
}

/**
 * Alertmanager's module ships its web UI sources but not the built bundle that ui/web.go embeds
 * (upstream builds it with npm/elm first). We build from a copy of the module with a one-page
 * placeholder in its place; the API, which is all o11y uses, is unchanged.
 */
function alertmanagerSourceWithPlaceholderUI(moduleVersion, workDir) {
  const modcache = run('go', ['env', 'GOMODCACHE']).stdout.trim();
  const download = run('go', ['mod', 'download', `${MODULES.alertmanager.module}@${moduleVersion}`], {
    cwd: MODULES.alertmanager.dir,
  });
  if (download.status !== 0) explainGoFailure(download, 'the Alertmanager module download');
  const source = path.join(modcache, `github.com/prometheus/alertmanager@${moduleVersion}`);
  const copy = path.join(workDir, 'alertmanager-src');
  rmSync(copy, { recursive: true, force: true });
  cpSync(source, copy, { recursive: true });
  run('chmod', ['-R', 'u+w', copy]);
  const dist = path.join(copy, 'ui', 'app', 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><title>Alertmanager</title><p>Web UI not bundled in this build; use the API.</p>\n',
  );
  // An alternate go.mod (never the committed one) points the module at the patched copy.
  const modfile = path.join(workDir, 'go.mod');
  copyFileSync(path.join(MODULES.alertmanager.dir, 'go.mod'), modfile);
  copyFileSync(path.join(MODULES.alertmanager.dir, 'go.sum'), path.join(workDir, 'go.sum'));
  const edit = run(
    'go',
    ['mod', 'edit', `-modfile=${modfile}`, `-replace=${MODULES.alertmanager.module}=${copy}`],
    { cwd: MODULES.alertmanager.dir },
  );
  if (edit.status !== 0) explainGoFailure(edit, 'the Alertmanager go.mod');
  return modfile;
}

/**
 * The cached binary of `name` at `release` for the Go in use; on a miss `build(workDir, output)` writes
 * it to `output` inside a scratch directory, and only a complete binary is moved into the cache.
 */
function cachedBuild(name, release, what, build, variant = '') {
  const goVersion = run('go', ['env', 'GOVERSION']).stdout.trim();
  const cacheDir = path.join(cacheRoot, `${name}-${release}${variant}-${goVersion}`);
  const cached = path.join(cacheDir, name);
  if (existsSync(cached)) {
    process.stdout.write(`toolchain: ${name} ${release} from cache\n`);
    return cached;
  }
  step(`building ${name} ${release} (${what})`, () => {
    const workDir = path.join(cacheDir, 'work');
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    const result = build(workDir, path.join(workDir, name));
    if (result.status !== 0) explainGoFailure(result, name);
    renameSync(path.join(workDir, name), cached);
    rmSync(workDir, { recursive: true, force: true });
  });
  return cached;
}

function buildTool(tool, versions) {
  const { module } = MODULES[tool.from];
  const moduleVersion = versions[tool.from];
  const release = releaseVersion(tool.from, moduleVersion);
  const cached = cachedBuild(tool.name, release, `${module}@${moduleVersion}`, (workDir, output) => {
    const args = ['build', '-trimpath', '-o', output];
    if (tool.from === 'alertmanager')
      args.push(`-modfile=${alertmanagerSourceWithPlaceholderUI(moduleVersion, workDir)}`);
    args.push(`-ldflags=${versionStamp(release, moduleVersion)}`, `${module}/${tool.pkg}`);
    return run('go', args, { cwd: MODULES[tool.from].dir, env: { CGO_ENABLED: '0' } });
  });
  return { cached, release };
}

/** What `--version` prints; Prometheus and Alertmanager read it from Prometheus's common package. */
function versionStamp(release, moduleVersion, versionPackage = 'github.com/prometheus/common/version') {
  return [
    `-X ${versionPackage}.Version=${release}`,
    `-X ${versionPackage}.Revision=${moduleVersion}`,
    `-X ${versionPackage}.Branch=o11y-toolchain`,
    `-X ${versionPackage}.BuildUser=o11y`,
  ].join(' ');
}

/** A STACK_TOOLS program, built in a writable copy of its module's source as `go mod download` fetched it. */
function buildStackTool(tool) {
  const release = tool.version.replace(/^v/, '');
  const cached = cachedBuild(tool.name, release, `${tool.module}@${tool.version}`, (workDir, output) => {
    const download = run('go', ['mod', 'download', '-json', `${tool.module}@${tool.version}`], {
      cwd: workDir,
    });
    if (download.status !== 0) explainGoFailure(download, `the ${tool.name} module download`);
    const source = path.join(workDir, 'src');
    cpSync(JSON.parse(download.stdout).Dir, source, { recursive: true });
    run('chmod', ['-R', 'u+w', source]);
    const ldflags = `-ldflags=${tool.ldflags(release, tool.version)}`;
    return run('go', ['build', '-trimpath', '-tags', tool.tags, ldflags, '-o', output, tool.pkg], {
      cwd: source,
      env: { CGO_ENABLED: '0' },
    });
  });
  return { cached, release };
}

/**
 * The Collector: `builder` at the manifest's `dist.version` generates a main package from the manifest
 * and compiles it. The cache key holds a digest of the manifest, so editing its components rebuilds.
 */
function buildCollector() {
  const manifest = readFileSync(COLLECTOR_MANIFEST, 'utf8');
  const release = /^dist:\n(?:[ \t]+.*\n|[ \t]*#.*\n)*?[ \t]+version:[ \t]*(\S+)/m.exec(manifest)?.[1];
  if (!release)
    fail(
      `${path.relative(root, COLLECTOR_MANIFEST)} has no dist.version`,
      'set dist.version to the Collector release its components are pinned to',
    );
  const digest = createHash('sha256').update(manifest).digest('hex').slice(0, 8);
  const what = `${COLLECTOR_BUILDER}@v${release}, ${path.relative(root, COLLECTOR_MANIFEST)}`;
  const cached = cachedBuild(
    'otelcol',
    release,
    what,
    (workDir, output) => {
      const builderBin = path.join(workDir, 'bin');
      const builder = run('go', ['install', `${COLLECTOR_BUILDER}@v${release}`], {
        cwd: workDir,
        env: { GOBIN: builderBin, CGO_ENABLED: '0' },
      });
      if (builder.status !== 0) return builder;
      copyFileSync(COLLECTOR_MANIFEST, path.join(workDir, 'builder-config.yaml'));
      const result = run(path.join(builderBin, 'builder'), ['--config=builder-config.yaml'], {
        cwd: workDir,
        env: { CGO_ENABLED: '0' },
      });
      if (result.status === 0) renameSync(path.join(workDir, 'build', 'otelcol'), output);
      return result;
    },
    `-${digest}`,
  );
  return { cached, release };
}

/** Both pinned modules declare the Go they need (`go 1.26.0`); an older Go would fail deep in the build. */
function requireGoVersion() {
  const parse = (text) => text.replace(/^go/, '').split('.').map(Number);
  const installed = parse(run('go', ['env', 'GOVERSION']).stdout.trim());
  for (const { dir } of Object.values(MODULES)) {
    const wanted = /^go (\S+)$/m.exec(readFileSync(path.join(dir, 'go.mod'), 'utf8'))?.[1];
    if (!wanted) continue;
    const needed = parse(wanted);
    const firstDifference = needed.findIndex((part, i) => part !== (installed[i] ?? 0));
    if (firstDifference >= 0 && needed[firstDifference] > (installed[firstDifference] ?? 0))
      fail(
        `Go ${installed.join('.')} is older than the ${wanted} that ${path.relative(root, dir)}/go.mod needs`,
        'install Go 1.26 or newer (https://go.dev/dl)',
      );
  }
}

function install(name, cached) {
  const target = path.join(toolsBin, name);
  const temporary = `${target}.tmp-${process.pid}`;
  copyFileSync(cached, temporary);
  chmodSync(temporary, 0o755);
  renameSync(temporary, target);
}

/** .tools/versions.json: every installed program's release; a `--stack` run adds to what is there. */
function recordVersions(installed) {
  const file = path.join(root, '.tools', 'versions.json');
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const merged = { ...previous, ...installed };
  const sorted = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((name) => [name, merged[name]]),
  );
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(temporary, file);
}

function main() {
  const started = process.hrtime.bigint();
  const goVersion = run('go', ['version']);
  if (goVersion.status !== 0) fail('`go version` failed', goVersion.stderr);
  process.stdout.write(`toolchain: using ${goVersion.stdout.trim()}\n`);
  requireGoVersion();
  mkdirSync(toolsBin, { recursive: true });
  const installed = {};
  if (process.argv.includes('--stack')) {
    for (const tool of STACK_TOOLS) {
      const { cached, release } = buildStackTool(tool);
      install(tool.name, cached);
      installed[tool.name] = release;
    }
    const collector = buildCollector();
    install('otelcol', collector.cached);
    installed.otelcol = collector.release;
  } else {
    const versions = Object.fromEntries(
      Object.entries(MODULES).map(([name, spec]) => [name, pinnedVersion(spec)]),
    );
    for (const tool of TOOLS) {
      const { cached, release } = buildTool(tool, versions);
      install(tool.name, cached);
      installed[tool.name] = release;
    }
  }
  recordVersions(installed);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `toolchain: ${Object.entries(installed)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} ready in .tools/bin (${seconds.toFixed(1)}s)\n`,
  );
}

if (!existsSync(path.join(MODULES.prometheus.dir, 'go.mod')))
  fail('packages/promql/go/go.mod is missing', 'the checkout is incomplete');
main();
