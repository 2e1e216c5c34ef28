/**
 * The preview's part of `npm run setup`, after the renderer's own `npm ci`: Chromium for screenshots
 * (installed with apt-get when run as root, else setup says how) and the renderer bundle, built once
 * here so that the first `o11y preview` does not pay for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_HINT, chromiumPath } from '../src/browser.ts';
import { loadRenderer } from '../src/renderer.ts';

function findChromium(): string | undefined {
  try {
    return chromiumPath();
  } catch {
    return undefined;
  }
}

function run(command: string, args: readonly string[]): boolean {
  process.stdout.write(`preview setup: ${command} ${args.join(' ')}\n`);
  return (
    spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
      .status === 0
  );
}

let chromium = findChromium();
if (!chromium && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  if (
    run('apt-get', ['update']) &&
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'])
  ) {
    chromium = findChromium();
  }
}
process.stdout.write(
  chromium
    ? `preview setup: Chromium at ${chromium}\n`
    : `preview setup: no Chromium; o11y preview works, --png and the preview tests need one: ${CHROMIUM_HINT}\n`,
);
await loadRenderer((line) => process.stdout.write(`${line}\n`));
process.stdout.write('preview setup: renderer bundle ready\n');
