#!/usr/bin/env node
// One command for a fresh machine: install dependencies, build the pinned Prometheus/Alertmanager
// toolchain, build the packages (the PromQL wasm parser), then build the sample organisation into dist/;
// last, the end-to-end stack's programs, which `--minimal` skips (enough to build and lint).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`setup: Node ${process.versions.node} is too old; install Node 20 or newer\n`);
  process.exit(2);
}

function phase(label, command, args) {
  const started = process.hrtime.bigint();
  process.stdout.write(`\nsetup: ${label}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  if (result.error?.code === 'ENOENT') {
    process.stderr.write(`setup: \`${command}\` is not installed; install it and run setup again\n`);
    process.exit(2);
  }
  if (result.status !== 0) {
    process.stderr.write(`setup: ${label} failed after ${seconds}s (exit ${result.status})\n`);
    process.exit(result.status ?? 2);
  }
  process.stdout.write(`setup: ${label} took ${seconds}s\n`);
  return Number(seconds);
}

const started = process.hrtime.bigint();
// `npm install` with the committed lock, which holds every platform's optional packages (biome, turbo,
// esbuild, rollup, typescript builds): a fresh clone installs without rewriting it (.ci/run checks).
phase('dependencies', 'npm', ['install', '--no-fund', '--no-audit']);
phase('toolchain', process.execPath, ['scripts/toolchain.mjs']);
phase('packages', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
phase('organisation', 'npx', ['o11y', 'build']);

// Users who only build and lint skip the heavy parts below with `--minimal` (see the README for what
// each costs); `npm test` needs them all.
const minimal = process.argv.includes('--minimal');
if (minimal)
  process.stdout.write(
    '\nsetup: --minimal: skipping the preview renderer and the end-to-end stack (npm test needs them)\n',
  );

// ── Preview (`o11y preview`, `o11y dev`, their tests): React and Grafana's front-end packages in their
// own install under packages/preview/renderer, and Chromium. `--without-preview` skips only this.
if (!minimal && !process.argv.includes('--without-preview')) {
  phase('preview renderer', 'npm', [
    'ci',
    '--prefix',
    'packages/preview/renderer',
    '--no-fund',
    '--no-audit',
  ]);
  phase('preview browser and bundle', 'npx', ['tsx', 'packages/preview/scripts/setup.ts']);
}

// ── The end-to-end stack: the Debian packages of the exporters, PostgreSQL and Redis, then Cortex built
// from source.
if (!minimal) {
  phase('stack: system packages', process.execPath, ['scripts/toolchain/system-packages.mjs']);
  phase('stack: toolchain', process.execPath, ['scripts/toolchain.mjs', '--stack']);
}
process.stdout.write(
  `\nsetup: done in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)}s; artifacts are in dist/\n`,
);
