import path from 'node:path';
import { type Diagnostic, type Formatters, formatDiagnostic, toDiagnostics, UsageError } from '@o11y/core';
import type {
  OptionValues,
  PublishContext,
  Publisher,
  PublisherOption,
  PublishOutcome,
  PublishPlan,
} from '@o11y/publish';
import { parseCommandArgs } from '../args.ts';
import { type Command, type CommandIO, EXIT } from '../command.ts';
import { chooseFormat } from '../options.ts';

const DEFAULT_TIMEOUT_SECONDS = 120;

/** Options of every target. */
const COMMON: Readonly<Record<string, PublisherOption>> = {
  dist: { type: 'string', value: '<dir>', description: 'the build to publish (default dist)' },
  'dry-run': { type: 'boolean', description: 'print the plan and change nothing' },
  timeout: {
    type: 'string',
    value: '<seconds>',
    description: `give up after this long in all, retries and waits included (default ${DEFAULT_TIMEOUT_SECONDS})`,
  },
  format: { type: 'string', value: 'human|json', description: 'human (default) or one JSON document' },
};

function optionLines(options: Readonly<Record<string, PublisherOption>>): string {
  const rows = Object.entries(options).map(([name, o]) => [
    `--${name}${o.value ? ` ${o.value}` : ''}`,
    o.description,
  ]);
  const width = Math.max(...rows.map(([flag]) => flag!.length));
  return rows.map(([flag, description]) => `    ${flag!.padEnd(width)}  ${description}`).join('\n');
}

/**
 * The publishers, loaded only when publishing or asked for this verb's help: they pull in every
 * client, and `o11y --help` must not pay for them.
 */
async function loadPublishers(): Promise<readonly Publisher[]> {
  return (await import('@o11y/publish')).publishers;
}

/** The help, from the publishers: a new target shows up here by its registration alone. */
function help(publishers: readonly Publisher[]): string {
  const width = Math.max(...publishers.map((p) => p.name.length));
  const targets = publishers.map((p) => `  ${p.name.padEnd(width)}  ${p.summary}`).join('\n');
  const details = publishers
    .map((p) => `o11y publish ${p.name}\n${p.description.replace(/^/gm, '    ')}\n${optionLines(p.options)}`)
    .join('\n\n');
  return `Usage: o11y publish <target> [options]

Publishes what \`o11y build\` wrote into dist/: reads the target, prints the plan, applies it, then
reads the target back to verify it. Waits (a server asking to retry later) are announced on stderr.

Targets:
${targets}

Options of every target:
${optionLines(COMMON)}

${details}

Exit codes: 0 published (or nothing to do), 1 refused or failed, 2 usage error.`;
}

interface Report {
  readonly target: string;
  readonly dryRun: boolean;
  readonly plan?: PublishPlan;
  readonly outcome?: PublishOutcome;
  /** Refusals and errors. */
  readonly problems: readonly Diagnostic[];
}

/**
 * What is printed last on stdout. In human form the plan was printed as it came, before anything was
 * written, and the problems go to stderr; the JSON document holds everything.
 */
const FORMATS = {
  human: (report) =>
    report.outcome
      ? `${report.outcome.summary}\n`
      : report.dryRun && report.plan
        ? 'dry run: nothing was changed\n'
        : '',
  json: (report) =>
    `${JSON.stringify(
      {
        target: report.target,
        dryRun: report.dryRun,
        plan: report.plan && { changes: report.plan.changes, ...(report.plan.data as object) },
        outcome: report.outcome?.data,
        problems: report.problems,
      },
      null,
      2,
    )}\n`,
} satisfies Formatters<Report>;

function checkUrl(name: string, value: string, secret: (value: string) => void): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value itself is not repeated: a mistyped URL may still hold a password.
    throw new UsageError(`--${name} is not a URL; give an http(s) URL such as https://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--${name} must be an http or https URL, not ${url.protocol}`);
  if (url.password) {
    secret(url.password);
    secret(decodeURIComponent(url.password));
  }
}

function timeoutSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError('--timeout must be a positive number of seconds');
  return seconds;
}

async function publish(publisher: Publisher, args: readonly string[], io: CommandIO): Promise<number> {
  const options = { ...COMMON, ...publisher.options };
  const { values } = parseCommandArgs(
    args,
    Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type }])),
  );
  // Every secret read is remembered so no message can carry it, whatever path it takes.
  const secrets: string[] = [];
  const secret = (value: string) => {
    if (value !== '' && !secrets.includes(value)) secrets.push(value);
  };
  const redact = (text: string) => secrets.reduce((out, s) => out.split(s).join('***'), text);
  for (const [name, option] of Object.entries(options)) {
    const value = values[name];
    if (option.url && typeof value === 'string') checkUrl(name, value, secret);
  }
  const deadline = Date.now() + timeoutSeconds(values.timeout as string | undefined) * 1000;
  // Before chooseFormat, which registers the TypeScript loader.
  const { currentCommit, publishMessage, readDistTree } = await import('@o11y/publish');
  const format = await chooseFormat(FORMATS, values.format as string | undefined, 'publish', io.root);
  const dryRun = values['dry-run'] === true;
  const stdout = (text: string) => io.stdout(redact(text));
  const report: { plan?: PublishPlan; outcome?: PublishOutcome; problems: Diagnostic[] } = { problems: [] };
  try {
    const context: PublishContext = {
      tree: await readDistTree(path.resolve(io.root, (values.dist as string | undefined) ?? 'dist')),
      root: io.root,
      values: values as OptionValues,
      deadline,
      log: (line) => io.stderr(`${redact(line)}\n`),
      secret,
      message: publishMessage(currentCommit(io.root)),
    };
    report.plan = await publisher.plan(context);
    if (format === 'human') stdout(report.plan.lines.map((line) => `${line}\n`).join(''));
    if (!dryRun) {
      report.outcome = await publisher.apply(report.plan, context);
      await publisher.verify(report.plan, context);
    }
    report.problems.push(...report.plan.refusals);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    report.problems.push(...toDiagnostics(error));
  }
  stdout(FORMATS[format]({ target: publisher.name, dryRun, ...report }));
  if (format === 'human')
    for (const problem of report.problems) io.stderr(`${redact(formatDiagnostic(problem))}\n`);
  return report.problems.length > 0 ? EXIT.findings : EXIT.ok;
}

export const command: Command = {
  name: 'publish',
  summary: 'publish the build to Grafana, a ruler, Alertmanager… (o11y publish --help lists the targets)',
  help: async () => help(await loadPublishers()),
  async run(args, io) {
    const [target, ...rest] = args;
    const publishers = await loadPublishers();
    if (target === undefined || target.startsWith('-'))
      throw new UsageError(`say what to publish: ${publishers.map((p) => p.name).join(', ')}`);
    const publisher = publishers.find((p) => p.name === target);
    if (!publisher)
      throw new UsageError(
        `unknown target "${target}"; targets: ${publishers.map((p) => p.name).join(', ')}`,
      );
    return publish(publisher, rest, io);
  },
};
