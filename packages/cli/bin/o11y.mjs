#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `turbo run build`). tsx is registered only for what the
// organisation writes in TypeScript (o11y.config.ts, catalog/, rules/, dashboards/, alertmanager/),
// and not at all for help, which reads no definition.
const argv = process.argv.slice(2);
const help = (arg) => arg === '--help' || arg === '-h' || arg === 'help';
if (!(argv.length === 0 || help(argv[0]) || argv.slice(1).some(help))) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('../dist/main.js');
process.exitCode = await main(argv);
