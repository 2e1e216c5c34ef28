#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `turbo run build`). tsx is registered only when the first
// module the organisation writes in TypeScript is imported (o11y.config.ts, catalog/, rules/,
// dashboards/, alertmanager/): the CLI's own modules load without its loader thread, and help and
// plain-file lint of a project without o11y.config.ts never start it.
const { setTypeScriptLoader } = await import('@o11y/core');
setTypeScriptLoader(import.meta.resolve('tsx/esm/api'));
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
