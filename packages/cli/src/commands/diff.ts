import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Formatters, formatDiagnostic, toDiagnostics, writeFileAtomic } from '@o11y/core';
// The libraries are imported when the verb runs, so that `o11y --help` does not load them.
import type { DiffReport } from '@o11y/publish';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';
import { chooseFormat } from '../options.ts';
import { progress } from '../progress.ts';

interface DiffFormatOptions {
  readonly colour: boolean;
  /** Markdown: the most characters of the comment (0 for no limit) and where the full report is. */
  readonly maxChars: number;
  readonly fullReport?: string;
}

function formatsOf({ renderJson, renderMarkdown, renderText }: typeof import('@o11y/publish')) {
  return {
    text: (report, { colour }) => renderText(report, colour),
    markdown: (report, { maxChars, fullReport }) =>
      renderMarkdown(report, { maxChars, ...(fullReport !== undefined && { fullReport }) }),
    json: (report) => renderJson(report),
  } satisfies Formatters<DiffReport, DiffFormatOptions>;
}

const HELP = `Usage: o11y diff [--base <git-ref>] [--format text|markdown|json] [--output <file>]

Builds the base ref in a temporary git worktree and the working tree, and prints what changed
between the two builds: dashboards (renamed, moved, panels added/removed/moved, queries as a diff of
the prettified PromQL, thresholds, units, variables), rules (expression, for, labels, annotations),
SLOs (objective, window), Alertmanager routes and receivers, and estimated series before/after.
Unchanged artifacts are not mentioned.

  --base <ref>          what to compare with (default HEAD)
  --base-dist <dir>     use an existing build of the base instead of building --base
  --head-dist <dir>     use an existing build of the working tree instead of building it
  --format <f>          text (default), markdown (for a pull-request comment) or json; the
                        default can be set with formats.diff in o11y.config.ts
  --output <file>       write the result to a file (atomically) instead of stdout
  --exit-code           exit 1 when there are changes
  --max-chars <n>       markdown: shorten to at most n characters (default 65536, GitHub's limit
                        for a comment: details, then items are left out from the end, with a note)
                        0 for no limit
  --full-report <url>   markdown: where the full report is, named in the note when shortened
  --full-output <file>  markdown: also write the full, unshortened report to this file
  --preview <dir>       also write before/after PNGs of the changed dashboards and preview.md
                        embedding them into <dir> (o11y preview; needs its renderer and Chromium)
  --preview-prometheus-url <url>  draw those pictures with data from this Prometheus

Progress goes to stderr: one line rewritten in place on a terminal, a line per step otherwise.

Exit codes: 0 done (1 with --exit-code and changes), 2 usage or build error.`;

export const command: Command = {
  name: 'diff',
  summary: 'semantic diff of the build against a git ref (dashboards, rules, SLOs, Alertmanager)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        base: { type: 'string' },
        'base-dist': { type: 'string' },
        'head-dist': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'exit-code': { type: 'boolean' },
        'max-chars': { type: 'string' },
        'full-report': { type: 'string' },
        'full-output': { type: 'string' },
        preview: { type: 'string' },
        'preview-prometheus-url': { type: 'string' },
      },
      true,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const lib = await import('@o11y/publish');
    const { buildRef, COMMENT_LIMIT, diffTrees, isEmpty, npmBuild, promqlFormatter, readDistTree } = lib;
    const formats = formatsOf(lib);
    const format = await chooseFormat(formats, values.format, 'diff', io.root);
    const maxChars = Number(values['max-chars'] ?? COMMENT_LIMIT);
    if (!Number.isInteger(maxChars) || maxChars < 0)
      throw new UsageError('--max-chars must be a whole number of characters (0 for no limit)');
    const builds = Number(!values['base-dist']) + Number(!values['head-dist']);
    const steps = progress({
      verb: 'o11y diff',
      steps: builds + 1,
      write: io.stderr,
      tty: Boolean(process.stderr.isTTY),
    });
    const scratch = await mkdtemp(path.join(tmpdir(), 'o11y-diff-builds-'));
    try {
      const baseDir = values['base-dist']
        ? path.resolve(io.root, values['base-dist'])
        : path.join(scratch, 'base');
      const headDir = values['head-dist']
        ? path.resolve(io.root, values['head-dist'])
        : path.join(scratch, 'head');
      const base = values.base ?? 'HEAD';
      if (!values['base-dist'])
        await steps.step(`building ${base}`, () => buildRef(io.root, base, baseDir, npmBuild));
      if (!values['head-dist'])
        await steps.step('building the working tree', () => npmBuild(io.root, headDir));
      const report = await steps.step('comparing', async (count) => {
        const compared = diffTrees(await readDistTree(baseDir), await readDistTree(headDir), {
          formatQuery: await promqlFormatter(),
        });
        count(`${compared.sections.reduce((n, s) => n + s.items.length, 0)} items changed`);
        return compared;
      });
      const options: DiffFormatOptions = {
        colour: io.colour && !values.output,
        maxChars,
        ...(values['full-report'] !== undefined && { fullReport: values['full-report'] }),
      };
      const text = formats[format](report, options);
      if (values['full-output'] !== undefined)
        await writeFileAtomic(
          path.resolve(io.root, values['full-output']),
          formats[format](report, { ...options, maxChars: 0 }),
        );
      // Every renderer ends its text with a newline; io.stdout adds none.
      if (values.output) await writeFileAtomic(path.resolve(io.root, values.output), text);
      else io.stdout(text);
      // Pictures of the changed dashboards, before and after (o11y preview).
      if (values.preview) {
        const outDir = path.resolve(io.root, values.preview);
        const prometheusUrl = values['preview-prometheus-url'];
        const { previewChanges } = await import('@o11y/preview');
        const changes = await previewChanges({
          baseDist: baseDir,
          headDist: headDir,
          outDir,
          ...(prometheusUrl && { prometheusUrl }),
        });
        io.stderr(
          `${changes.length} changed dashboards pictured in ${path.join(values.preview, 'preview.md')}\n`,
        );
      }
      return values['exit-code'] && !isEmpty(report) ? EXIT.findings : EXIT.ok;
    } catch (error) {
      for (const diagnostic of toDiagnostics(error)) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
      return EXIT.usage;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
