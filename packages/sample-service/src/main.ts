import { parseArgs } from 'node:util';
import { startSampleService } from './service.ts';

/**
 * `tsx src/main.ts [--port N] [--seed N] [--no-traffic]`: runs the sample estate until SIGTERM/SIGINT.
 * Prints one JSON line `{"control": url, "targets": [...]}` once every target listens.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'no-traffic': { type: 'boolean', default: false },
  },
});
const service = await startSampleService({
  controlPort: Number(values.port),
  seed: Number(values.seed),
  traffic: !values['no-traffic'],
});
process.stdout.write(`${JSON.stringify({ control: service.controlUrl, targets: service.targets })}\n`);
const shutdown = () => {
  void service.stop().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
