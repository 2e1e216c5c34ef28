import path from 'node:path';
import { formatDiagnostic, paint } from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { build } from '../build.ts';
import { type Command, EXIT, UsageError } from '../command.ts';

export const command: Command = {
  name: 'build',
  summary: 'build every dashboard, rule file, promtool test and Alertmanager config into dist/',
  help: `Usage: o11y build [--out <dir>] [--profile default|test] [--no-verify] [--json]

Imports every TypeScript module under rules/, dashboards/ and alertmanager/, builds the artifacts
they define, verifies them (promtool check rules/config, amtool check-config, dashboard JSON schema,
PromQL parse) and writes them with dist/manifest.json. The output is written to a staging folder and
swapped in at the end: a failed build leaves the previous output byte-for-byte unchanged.

Options:
  --out <dir>        output folder (default: dist)
  --profile <name>   "default", or "test" for the shortened intervals of the end-to-end stack
  --no-verify        skip the external verifiers (faster; used by o11y diff)
  --json             print the manifest as JSON instead of a summary

Exit codes: 0 built, 1 a definition or a verifier failed (each error names the TypeScript line),
2 usage or internal error.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      out: { type: 'string' },
      profile: { type: 'string' },
      'no-verify': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const profile = values.profile ?? 'default';
    if (profile !== 'default' && profile !== 'test') throw new UsageError(`unknown profile "${profile}"`);
    const result = await build({
      root: io.root,
      out: values.out ?? 'dist',
      profile,
      verify: !values['no-verify'],
      log: (line) => io.stderr(`${line}\n`),
    });
    for (const warning of result.warnings) io.stderr(`${formatDiagnostic(warning)}\n`);
    if (values.json) {
      io.stdout(`${JSON.stringify(result.manifest, null, 2)}\n`);
      return EXIT.ok;
    }
    const counts = new Map<string, number>();
    for (const artifact of result.manifest.artifacts)
      counts.set(artifact.kind, (counts.get(artifact.kind) ?? 0) + 1);
    const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ') || 'no artifacts';
    const where = path.relative(io.root, result.outDir) || '.';
    io.stdout(`${paint('built', 'green', io.colour)} ${summary} into ${where}/\n`);
    return EXIT.ok;
  },
};
