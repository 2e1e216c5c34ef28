import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  compareCodePoints,
  formatDiagnostic,
  O11yError,
  O11yErrors,
  projectRootOf,
  toDiagnostics,
  useColour,
} from '@o11y/core';
import { type Command, type CommandIO, EXIT, helpOf, UsageError } from './command.ts';

const here = fileURLToPath(import.meta.url);
const commandsDir = path.join(path.dirname(here), 'commands');

const extension = path.extname(here);

async function commandIn(file: string): Promise<Command | undefined> {
  const module = (await import(pathToFileURL(path.join(commandsDir, file)).href)) as { command?: Command };
  return module.command;
}

/** Every verb: one module per file in commands/ (`.ts` in src/, `.js` in the compiled dist/), each exporting `command`. */
export async function loadCommands(): Promise<Map<string, Command>> {
  const files = (await readdir(commandsDir)).filter((f) => f.endsWith(extension)).sort(compareCodePoints);
  const commands = new Map<string, Command>();
  for (const file of files) {
    const command = await commandIn(file);
    if (command) commands.set(command.name, command);
  }
  return commands;
}

/**
 * The verb's own module (commands/<verb>), without loading the others: each pulls in the libraries its
 * verb needs, and loading them all cost every command seconds. Undefined for a verb of no file.
 */
async function loadCommand(verb: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z-]*$/.test(verb)) return undefined;
  const file = `${verb}${extension}`;
  if (!(await readdir(commandsDir)).includes(file)) return undefined;
  const command = await commandIn(file);
  return command?.name === verb ? command : undefined;
}

function overview(commands: Map<string, Command>): string {
  const width = Math.max(...[...commands.keys()].map((name) => name.length));
  const verbs = [...commands.values()].map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `o11y — dashboards, rules, SLOs and Alertmanager routing as typed code

Usage: o11y <command> [options]     (o11y <command> --help for details)

Commands:
${verbs}

Exit codes: 0 ok, 1 findings or failures, 2 usage or internal error.
Colour is used only on a terminal and never when NO_COLOR is set.
`;
}

export async function main(argv: readonly string[], io?: Partial<CommandIO>): Promise<number> {
  const stdout = io?.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = io?.stderr ?? ((text: string) => process.stderr.write(text));
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    stdout(overview(await loadCommands()));
    return verb ? EXIT.ok : EXIT.usage;
  }
  const command = await loadCommand(verb);
  if (!command) {
    stderr(`o11y: unknown command "${verb}"\n\n${overview(await loadCommands())}`);
    return EXIT.usage;
  }
  // Found only now: the overview reads no project, and looking for one costs start-up time.
  const fullIO: CommandIO = {
    stdout,
    stderr,
    root: io?.root ?? projectRootOf(process.cwd()),
    colour: io?.colour ?? useColour(),
    terminal: io?.terminal ?? process.stderr.isTTY === true,
  };
  if (rest.includes('--help') || rest.includes('-h')) {
    fullIO.stdout(`${(await helpOf(command)).trimEnd()}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, fullIO);
  } catch (error) {
    if (error instanceof UsageError) {
      fullIO.stderr(`o11y ${verb}: ${error.message}\n\n${(await helpOf(command)).trimEnd()}\n`);
      return EXIT.usage;
    }
    if (error instanceof O11yError || error instanceof O11yErrors) {
      for (const diagnostic of toDiagnostics(error)) fullIO.stderr(`${formatDiagnostic(diagnostic)}\n`);
      return EXIT.findings;
    }
    fullIO.stderr(
      `o11y ${verb}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.usage;
  }
}
