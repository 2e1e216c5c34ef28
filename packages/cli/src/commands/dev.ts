import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatDiagnostic, loadProjectLayout, toDiagnostics } from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';
import { DATA_OPTIONS, dataOptions } from './preview.ts';

/** The definition and tests folders o11y.config.ts declares, and the folder of the catalogue they import. */
async function watchedFolders(root: string): Promise<string[]> {
  const layout = await loadProjectLayout(root);
  // A tests folder inside a definitions folder is watched with it.
  const tests = layout.tests.filter(
    (dir) => !layout.definitions.some((parent) => dir.startsWith(`${parent}/`)),
  );
  return [...new Set([...layout.definitions, ...tests, path.posix.dirname(layout.catalog)])];
}

const HELP = `Usage: o11y dev [--prometheus-url <url>] [--from <time>] [--to <time>]

Builds the organisation, serves the preview of every dashboard on 127.0.0.1 (see o11y preview) and
watches rules/, dashboards/, alertmanager/ and catalog/: on every save it rebuilds in the same
process (without the external verifiers; run o11y build for those), re-renders the dashboards whose
JSON changed and reloads their open pages. Errors are printed with the TypeScript file and line; the
last good pages stay up until the error is fixed. Stop with Ctrl-C.

  --prometheus-url <url>  draw the panels with data from this Prometheus
  --from, --to <time>     the time range (default: each dashboard's own)

Exit codes: 0 stopped, 2 usage error or the first build failed.`;

export const command: Command = {
  name: 'dev',
  summary: 'rebuild on save and serve the dashboards’ preview with live reload',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, DATA_OPTIONS);
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const data = dataOptions(values);
    const scratch = await mkdtemp(path.join(tmpdir(), 'o11y-dev-'));
    const printErrors = (error: unknown) => {
      for (const diagnostic of toDiagnostics(error)) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    };
    try {
      // Imported when the verb runs, so that `o11y --help` does not load them; before o11y.config.ts
      // (setTypeScriptLoader says why).
      const [{ build }, { startDev }] = await Promise.all([import('@o11y/build'), import('@o11y/preview')]);
      const watched = await watchedFolders(io.root);
      const session = await startDev({
        watch: watched.map((dir) => path.join(io.root, dir)),
        build: async (importModule) =>
          (await build({ root: io.root, out: path.join(scratch, 'dist'), verify: false, importModule }))
            .outDir,
        ...data,
      });
      io.stdout(`o11y dev: serving ${session.url}/ — watching ${watched.join(', ')}\n`);
      session.watch((outcome) => {
        if ('error' in outcome) printErrors(outcome.error);
        else {
          const changed = outcome.changed.length > 0 ? outcome.changed.join(', ') : 'no dashboard changed';
          io.stdout(`o11y dev: rebuilt in ${Math.round(outcome.ms)} ms: ${changed}\n`);
        }
      });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await session.stop();
      return EXIT.ok;
    } catch (error) {
      printErrors(error);
      return EXIT.usage;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
