import { O11yError } from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';

const VERSIONS = ['11', '12', '13'] as const;

export const command: Command = {
  name: 'simulate',
  summary: 'run the Grafana API simulator, to try `o11y publish grafana` without a Grafana',
  help: `Usage: o11y simulate grafana [--port <n>] [--version 11|12|13] [--faults <list>] [--token <token>]

Serves the repository's Grafana HTTP API simulator on 127.0.0.1 until Ctrl-C. It is a simulator, not
Grafana: it follows Grafana's documented API (the classic /api; with 12 and 13 also the /apis of
dashboard.grafana.app and folder.grafana.app) and keeps everything in memory.

Options:
  --port <n>        port to listen on (default: a free one, printed)
  --version <v>     the Grafana version to act as: 11 (classic /api only), 12 (default) or 13
  --faults <list>   inject faults, e.g. rate-limit=0.1,retry-after=30,server-error=0.05
                    (server-error, lost-response, rate-limit, slow: shares of requests from 0 to 1;
                    retry-after seconds, slow-min-ms, slow-max-ms, seed)
  --token <token>   the service-account token it accepts (default: o11y-simulator)

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 it could not listen, 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        port: { type: 'string' },
        version: { type: 'string' },
        faults: { type: 'string' },
        token: { type: 'string' },
      },
      true,
    );
    if (positionals.length !== 1 || positionals[0] !== 'grafana')
      throw new UsageError('name what to simulate: `o11y simulate grafana`');
    const version = values.version ?? '12';
    if (!(VERSIONS as readonly string[]).includes(version))
      throw new UsageError('--version must be 11, 12 or 13');
    const port = Number(values.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError('--port must be a port number (0 for a free one)');
    // Imported when the verb runs, so that `o11y --help` does not load the simulator.
    const { launchGrafanaSimulator, parseFaults } = await import('@o11y/publish/testing');
    let faults: ReturnType<typeof parseFaults> | undefined;
    try {
      faults = values.faults === undefined ? undefined : parseFaults(values.faults);
    } catch (error) {
      throw new UsageError(
        error instanceof O11yError ? `${error.message}; ${error.hint ?? ''}` : String(error),
      );
    }
    const token = values.token ?? 'o11y-simulator';
    const simulator = await launchGrafanaSimulator({
      port,
      version: Number(version) as 11 | 12 | 13,
      token,
      ...(faults && { faults }),
    }).catch((error: unknown) => {
      throw new O11yError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`, {
        id: 'simulate/listen',
        hint: 'choose another --port, or leave it out for a free one',
      });
    });
    io.stdout(
      `Grafana API simulator (not Grafana) acting as Grafana ${version} on ${simulator.url}\n` +
        `try: GRAFANA_TOKEN=${token} npx o11y publish grafana --url ${simulator.url}\n` +
        'Ctrl-C stops it.\n',
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await simulator.stop();
    io.stdout(`stopped after ${simulator.requests.length} requests (${simulator.mutations} writes)\n`);
    return EXIT.ok;
  },
};
