#!/usr/bin/env node
// Installs the Debian packages the end-to-end stack runs (exporters, PostgreSQL, Redis) when any is
// missing. They come from the distribution, not from source: the Go module proxy refuses the blackbox,
// postgres and redis exporters' modules, and PostgreSQL and Redis are not Go programs.
//
// As root it runs apt-get; otherwise it names the exact command to run and fails, so `npm test` never
// starts without them. No service is started: the suite runs each program itself on 127.0.0.1.
//
// Plain Node with no dependencies: it runs before `npm install` has installed anything.
import { spawnSync } from 'node:child_process';

const SYSTEM_PACKAGES = [
  'prometheus-node-exporter',
  'prometheus-blackbox-exporter',
  'prometheus-postgres-exporter',
  'prometheus-redis-exporter',
  'postgresql',
  'redis-server',
];

/** The packages dpkg does not report installed; all of them where there is no dpkg. */
function missingPackages() {
  return SYSTEM_PACKAGES.filter((name) => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.endsWith(' installed');
  });
}

function fail(message) {
  process.stderr.write(`system packages: ${message}\n`);
  process.exit(2);
}

function aptGet(args) {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    // Never ask, and never start the services the packages ship: the suite starts its own.
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' },
  });
  if (result.error?.code === 'ENOENT') return false;
  if (result.status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  return true;
}

function main() {
  const missing = missingPackages();
  if (missing.length === 0) {
    process.stdout.write('system packages: all installed\n');
    return;
  }
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    fail(
      `missing ${missing.join(', ')}; the end-to-end suite needs them. As root run:\n  ${command}\n` +
        'or run `npm run setup -- --minimal` to build and lint only (npm test then cannot run the stack)',
    );
  }
  process.stdout.write(`system packages: installing ${missing.join(' ')}\n`);
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  if (
    !aptGet([...lockWait, 'update']) ||
    !aptGet([...lockWait, 'install', '-y', '--no-install-recommends', ...missing])
  ) {
    fail(
      `apt-get is not available; install these Debian packages (or your system's equivalents): ${missing.join(' ')}`,
    );
  }
  const still = missingPackages();
  if (still.length > 0) fail(`apt-get finished but ${still.join(', ')} are still missing`);
}

main();
