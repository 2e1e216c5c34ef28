import { spawnSync } from 'node:child_process';
import path from 'node:path';
// The libraries are imported when the verb runs, so that `o11y --help` does not load them.
import type { BuildResult, Stage } from '@o11y/build';
import { type Formatters, formatDiagnostic, O11yError, paint, writeFileAtomic } from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';
import { buildFailOnOption, chooseFormat } from '../options.ts';

const FORMATS = {
  human(result, { root, colour }) {
    const counts = new Map<string, number>();
    for (const artifact of result.manifest.artifacts)
      counts.set(artifact.kind, (counts.get(artifact.kind) ?? 0) + 1);
    const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ') || 'no artifacts';
    const where = path.relative(root, result.outDir) || '.';
    return `${paint('built', 'green', colour)} ${summary} into ${where}/\n`;
  },
  json: (result) => `${JSON.stringify(result.manifest, null, 2)}\n`,
} satisfies Formatters<BuildResult, { root: string; colour: boolean }>;

export const command: Command = {
  name: 'build',
  summary: 'build every dashboard, rule file, promtool test and Alertmanager config into dist/',
  help: `Usage: o11y build [--out <dir>] [--profile default|test] [--no-verify] [--fail-on error|warning|never]
                  [--format human|json] [--timings]
       o11y build --render-secrets <dir>

Builds in four stages: load (imports every TypeScript module under rules/, dashboards/ and
alertmanager/), emit (the artifacts they define), verify (a type check of the definitions with the
TypeScript compiler, o11y lint with the checks and suppressions of o11y.config.ts, promtool check rules/config, amtool check-config, dashboard JSON schema, PromQL
parse) and write (dist/ with dist/manifest.json, which records each artifact's TypeScript line and
estimated series). The output is written to a staging folder and swapped in at the end: a failed
build leaves the previous output byte-for-byte unchanged.

Options:
  --out <dir>        output folder (default: dist)
  --profile <name>   "default", or "test": the end-to-end stack's time compression (60×: 1s
                     scrape/evaluation, SLO windows and alert "for" scaled; no promtool tests)
  --no-verify        skip the verify stage and the type check (faster; used by o11y diff)
  --fail-on <sev>    lint findings of this severity or worse fail the build: error (default) or
                     warning; the others are printed as warnings. never: every finding is printed
                     and none fails the build (e.g. code just imported, before it is cleaned up)
  --format <f>       human (default) or json (the manifest); --json is the same as --format json
  --timings          print how long each stage took (always on a terminal)
  --render-secrets <dir>
                     instead of building dist/, write a deployable Alertmanager config into <dir>
                     with the secrets given by environment references filled in from the
                     environment. Never inside dist/; the values are never printed.

Exit codes: 0 built, 1 a definition or a verifier failed (each error names the TypeScript line),
2 usage or internal error.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      out: { type: 'string' },
      profile: { type: 'string' },
      'no-verify': { type: 'boolean' },
      'fail-on': { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      timings: { type: 'boolean' },
      'render-secrets': { type: 'string' },
    });
    if (values['render-secrets'] !== undefined)
      return renderSecrets(values['render-secrets'], io.root, io.stdout);
    const profile = values.profile ?? 'default';
    if (profile !== 'default' && profile !== 'test') throw new UsageError(`unknown profile "${profile}"`);
    // Before chooseFormat, which registers the TypeScript loader.
    const [{ build, STAGES }, { whileTypechecking }] = await Promise.all([
      import('@o11y/build'),
      import('../typecheck.ts'),
    ]);
    const format = values.json ? 'json' : await chooseFormat(FORMATS, values.format, 'build', io.root);
    const options = {
      root: io.root,
      out: values.out ?? 'dist',
      profile,
      verify: !values['no-verify'],
      failOn: buildFailOnOption(values['fail-on']),
      log: (line: string) => io.stderr(`${line}\n`),
    };
    // The organisation's type check runs beside the build and gates the swap of dist/.
    const result = options.verify
      ? await whileTypechecking(io.root, (beforeSwap) => build({ ...options, beforeSwap }))
      : await build(options);
    for (const warning of result.warnings) io.stderr(`${formatDiagnostic(warning)}\n`);
    if (values.timings || io.terminal) io.stderr(`${formatTimings(result, STAGES)}\n`);
    io.stdout(FORMATS[format](result, { root: io.root, colour: io.colour }));
    return EXIT.ok;
  },
};

/** `load 1.21s  emit 0.84s  verify 3.02s  write 0.11s`: where the time of a build goes. */
function formatTimings(result: BuildResult, stages: readonly Stage[]): string {
  return stages
    .filter((stage) => result.timings.has(stage))
    .map((stage) => `${stage} ${(result.timings.get(stage)! / 1000).toFixed(2)}s`)
    .join('  ');
}

/** The deployable Alertmanager config, secrets from the environment filled in, written outside dist/. */
async function renderSecrets(dir: string, root: string, stdout: (text: string) => void): Promise<number> {
  const target = path.resolve(root, dir);
  const relativeToDist = path.relative(path.join(root, 'dist'), target);
  if (!relativeToDist.startsWith('..') && !path.isAbsolute(relativeToDist)) {
    throw new UsageError(
      '--render-secrets must name a folder outside dist/, which holds only secret-free output',
    );
  }
  if (insideCheckoutAndTracked(root, target)) {
    throw new UsageError(
      `--render-secrets ${dir} is inside the checkout and not git-ignored, so rendered secrets could be committed; use a folder outside the checkout or an ignored one`,
    );
  }
  const [{ AlertmanagerConfig, renderDeployable }, { loadDefinitions }] = await Promise.all([
    import('@o11y/alertmanager'),
    import('@o11y/build'),
  ]);
  const configs = (await loadDefinitions(root)).filter((d) => d instanceof AlertmanagerConfig);
  const [config] = configs;
  if (!config)
    throw new O11yError('no Alertmanager config is defined under alertmanager/', {
      id: 'build/render-secrets',
    });
  const files = renderDeployable(config, process.env);
  // Only the owner may read what holds the secrets (a umask of 022 would make it world-readable).
  for (const file of files)
    await writeFileAtomic(path.join(target, file.path), file.content, { mode: 0o600 });
  stdout(
    `rendered ${files.length} deployable Alertmanager file(s) into ${path.relative(root, target) || '.'}/\n`,
  );
  return EXIT.ok;
}

/** A folder inside the checkout that git would not ignore: secrets written there could be committed. */
function insideCheckoutAndTracked(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  const ignored = spawnSync('git', ['check-ignore', '-q', '--no-index', `${relative}/`], { cwd: root });
  // 0: ignored; 1: not ignored; anything else (no git, not a repository): nothing can be committed.
  return ignored.status === 1;
}
