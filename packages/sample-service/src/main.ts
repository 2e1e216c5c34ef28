import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadProjectLayout, projectRootOf } from '@o11y/core';
import type { Estate } from './estate.ts';
import { startSampleService } from './service.ts';

/**
 * `tsx src/main.ts [--estate <module>] [--port N] [--seed N] [--no-traffic] [--otlp-endpoint URL]`: runs the estate the
 * module exports as `estate` (default: `estate.ts` beside the catalogue module that `o11y.config.ts`
 * names) until SIGTERM/SIGINT. Prints one JSON line `{"control": url, "targets": [...]}` once every
 * target listens.
 */
const { values } = parseArgs({
  options: {
    estate: { type: 'string' },
    port: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'no-traffic': { type: 'boolean', default: false },
    'otlp-endpoint': { type: 'string' },
  },
});
const root = projectRootOf(process.cwd());
const module = values.estate ?? path.join(path.dirname((await loadProjectLayout(root)).catalog), 'estate.ts');
const { estate } = (await import(pathToFileURL(path.resolve(root, module)).href)) as { estate?: Estate };
if (!estate) throw new Error(`${module} does not export the sample service's \`estate\``);
const service = await startSampleService({
  estate,
  controlPort: Number(values.port),
  seed: Number(values.seed),
  traffic: !values['no-traffic'],
  ...(values['otlp-endpoint'] !== undefined && { otlpEndpoint: values['otlp-endpoint'] }),
});
process.stdout.write(`${JSON.stringify({ control: service.controlUrl, targets: service.targets })}\n`);
const shutdown = () => {
  void service.stop().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
